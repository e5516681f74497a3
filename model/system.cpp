#include "model/system.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>
#include <numeric>
#include <span>
#include <stdexcept>

namespace alertflow::model {

namespace {

using mdc_alert::Status;
using AlertEvent = mdc_alert::Event;
using IncidentEvent = sentinel_incident::Event;

// Incidents are kept sorted by key, so the order they were made in does not split states.
void sort_incidents(State& s) {
    std::sort(s.incidents.begin(), s.incidents.begin() + s.incident_count,
              [](const Incident& x, const Incident& y) { return x.key() < y.key(); });
}

bool all_alerts_closed(const State& s, const Incident& incident) {
    for (int a = 0; a < kMaxAlerts; ++a)
        if (incident.holds(a) && !mdc_alert::is_closed(s.alerts[a].mdc)) return false;
    return true;
}

}  // namespace

// ---------------------------------------------------------------- state helpers

int AlertSlot::times_entered(Status s) const {
    int n = 0;
    for (int i = 0; i < history_len; ++i) n += history_at(i) == s;
    return n;
}

void AlertSlot::append_row(SecurityAlertRow r) {
    if (row_count >= kMaxRowsPerAlert) throw std::logic_error("SecurityAlert row capacity exceeded");
    rows[row_count / 2] = static_cast<std::uint8_t>(rows[row_count / 2] | r.pack() << (4 * (row_count % 2)));
    ++row_count;
}

void AlertSlot::append_history(Status s) {
    if (history_len >= kMaxHistory) throw std::logic_error("MDC alert history capacity exceeded");
    history = static_cast<std::uint8_t>(history | static_cast<unsigned>(s) << (2 * history_len));
    ++history_len;
}

int State::total_rows() const {
    int n = 0;
    for (const auto& a : alerts) n += a.row_count;
    return n;
}

void ActionList::push(Action a) {
    if (size_ >= kCapacity) throw std::logic_error("too many enabled actions for ActionList");
    std::construct_at(reinterpret_cast<Action*>(storage_) + size_++, a);
}

// ---------------------------------------------------------------- configuration -> tables

ComponentTables ComponentTables::for_config(const Config& c) {
    const auto& sub = c.connectors.subscription;
    return ComponentTables{
        mdc_alert::make_table({c.analysts.reopen_in_mdc}),
        subscription_connector::make_coverage_table({sub.enabled, sub.new_subscription_policy, sub.bidirectional_sync}),
        subscription_connector::make_forwarding_table(),
        tenant_connector::make_table({c.connectors.tenant.enabled, c.timing == Timing::AnyOrder, c.faults.tenant_duplicates}),
        defender_xdr::make_table({c.xdr.mdc_alerts == XdrMdcAlerts::All, c.faults.xdr_correlation}),
        xdr_connector::make_table({c.connectors.xdr.enabled, c.faults.xdr_incident_before_alert}),
        incident_creation_rule::make_table(c.rules.incident_creation),
        incident_creation_rule::make_table(c.rules.time_window),
        security_alert_table::make_table(),
        sentinel_incident::make_table(),
        automation_rule::make_table(c.rules.automation_close),
        environment::make_subscription_table(),
        environment::make_analysts_table({c.analysts.close_in_mdc, c.analysts.reopen_in_mdc,
                                          c.analysts.close_in_sentinel, c.analysts.close_in_xdr}),
    };
}

System::System(const Config& config)
    : config_(config), tables_(ComponentTables::for_config(config)), codec_(config) {}

// The set-up: the subscriptions that exist get the sub connector (if it is on and enabled for
// them: the first `uncovered_subscriptions` are not), and the
// automation rules are deployed. Late subscriptions appear later, as actions.
std::vector<State> System::initial_states() const {
    State s;
    const int existing = config_.scope.subscriptions - config_.scope.late_subscriptions;
    for (int i = 0; i < existing; ++i) {
        s.subscriptions[i] = *tables_.subscription.next(s.subscriptions[i], environment::SubscriptionEvent::SubscriptionCreated);
        if (i < config_.connectors.subscription.uncovered_subscriptions) continue;  // the connector was not enabled for it
        if (auto c = tables_.coverage.next(s.coverage[i], subscription_connector::CoverageEvent::ConnectorSetUp)) s.coverage[i] = *c;
    }
    if (auto d = tables_.automation.next(s.automation, automation_rule::Event::RulesSetUp)) s.automation = *d;
    return {s};
}

// ---------------------------------------------------------------- enabled actions

void System::enabled_actions(const State& s, ActionList& out) const {
    add_environment_actions(s, out);
    add_analyst_actions(s, out);
    add_service_actions(s, out);
    add_fault_actions(s, out);
}

// Alerts are raised in index order: A1 names the first alert raised. Alerts are interchangeable,
// so this loses no behaviour and keeps alerts.size()! orderings from being explored apart.
void System::add_environment_actions(const State& s, ActionList& out) const {
    const auto created = environment::SubscriptionEvent::SubscriptionCreated;
    for (int i = 0; i < config_.scope.subscriptions; ++i)
        if (tables_.subscription.accepts(s.subscriptions[i], created))
            out.push({ActionKind::CreateSubscription, 0, static_cast<std::uint8_t>(i), 0});
    for (int a = 0; a < config_.scope.alerts; ++a) {
        if (s.alerts[a].raised()) continue;
        for (int i = 0; i < config_.scope.subscriptions; ++i) {
            if (s.subscriptions[i] != environment::Subscription::Exists) continue;
            for (int future = 0; future <= (config_.faults.start_time_skew && rows_written_ ? 1 : 0); ++future)
                out.push({ActionKind::RaiseAlert, static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(i),
                          static_cast<std::uint8_t>(future)});
        }
        break;
    }
}

void System::add_analyst_actions(const State& s, ActionList& out) const {
    using environment::AnalystEvent;
    const auto may = [&](AnalystEvent e) { return tables_.analysts.accepts(environment::Analysts::OnDuty, e); };
    for (int a = 0; a < config_.scope.alerts; ++a) {
        const AlertSlot& slot = s.alerts[a];
        const auto alert = static_cast<std::uint8_t>(a);
        if (may(AnalystEvent::ClosesAlertInMdc)) {
            if (tables_.mdc_alert.accepts(slot.mdc, AlertEvent::ResolvedByAnalyst)) out.push({ActionKind::ResolveInMdc, alert});
            if (tables_.mdc_alert.accepts(slot.mdc, AlertEvent::DismissedByAnalyst)) out.push({ActionKind::DismissInMdc, alert});
        }
        // A reopen adds two statuses (Active, then a close): at most once per alert.
        if (may(AnalystEvent::ReopensAlertInMdc) && slot.history_len + 2 <= kMaxHistory &&
            tables_.mdc_alert.accepts(slot.mdc, AlertEvent::ReopenedByAnalyst))
            out.push({ActionKind::ReopenInMdc, alert});
    }
    if (may(AnalystEvent::ClosesIncidentInSentinel))
        for (int i = 0; i < s.incident_count; ++i)
            if (tables_.incident.accepts(s.incidents[i].status, IncidentEvent::ClosedByAnalyst))
                out.push({ActionKind::CloseInSentinel, 0, static_cast<std::uint8_t>(i)});
    if (may(AnalystEvent::ClosesIncidentInXdr))
        for (int a = 0; a < config_.scope.alerts; ++a)
            if (s.alerts[a].xdr == defender_xdr::Ingestion::Ingested &&
                tables_.mdc_alert.accepts(s.alerts[a].mdc, AlertEvent::ClosedBySync))
                out.push({ActionKind::CloseInXdr, static_cast<std::uint8_t>(a)});
}

void System::add_service_actions(const State& s, ActionList& out) const {
    const int alerts = config_.scope.alerts;
    const auto each_alert = [&](ActionKind kind, auto enabled) {
        for (int a = 0; a < alerts; ++a)
            if (enabled(s.alerts[a], a)) out.push({kind, static_cast<std::uint8_t>(a)});
    };
    for (int a = 0; a < alerts; ++a)
        if (tables_.forwarding.accepts(s.alerts[a].sub_forwarding, subscription_connector::ForwardingEvent::RowForwarded))
            for (int non_utc = 0; non_utc <= (config_.faults.start_time_skew ? 1 : 0); ++non_utc)
                out.push({ActionKind::ForwardBySubscriptionConnector, static_cast<std::uint8_t>(a), 0,
                          static_cast<std::uint8_t>(non_utc)});
    each_alert(ActionKind::DeliverByTenantConnector, [&](const AlertSlot& slot, int a) {
        const auto e = subscription_path_settled(s, a) ? tenant_connector::Event::Delivered
                                                        : tenant_connector::Event::DeliveredAhead;
        return tables_.tenant.accepts(slot.tenant_delivery, e);
    });
    each_alert(ActionKind::IngestInXdr, [&](const AlertSlot& slot, int) {
        return slot.raised() && tables_.xdr.accepts(slot.xdr, defender_xdr::Event::AlertIngested);
    });
    each_alert(ActionKind::BringXdrIncident, [&](const AlertSlot& slot, int a) {
        return slot.xdr == defender_xdr::Ingestion::Ingested && tables_.xdr_connector.accepts(slot.xdr_connector, bring_event(s, a));
    });
    each_alert(ActionKind::CreateIncidentByRule, [&](const AlertSlot& slot, int) {
        return slot.presence == security_alert_table::Presence::HasRows &&
               tables_.rule.accepts(slot.rule, incident_creation_rule::Event::MatchingRowSeen);
    });
    each_alert(ActionKind::CreateIncidentByTimeWindowRule, [&](const AlertSlot& slot, int) {
        int first = 0;
        return time_window_row(slot, &first) &&
               tables_.time_window_rule.accepts(slot.time_window_rule, incident_creation_rule::Event::MatchingRowSeen);
    });
    for (int i = 0; i < s.incident_count; ++i)
        if (s.incidents[i].open() && tables_.automation.accepts(s.automation, automation_rule::Event::NewIncidentSeen))
            out.push({ActionKind::CloseByAutomation, 0, static_cast<std::uint8_t>(i)});
}

void System::add_fault_actions(const State& s, ActionList& out) const {
    for (int a = 0; a < config_.scope.alerts; ++a)
        if (tables_.tenant.accepts(s.alerts[a].tenant_delivery, tenant_connector::Event::DeliveredAgain))
            out.push({ActionKind::DeliverAgainByTenantConnector, static_cast<std::uint8_t>(a)});
    // XDR correlation merges two open XDR incidents already in Sentinel; larger merges are chains.
    const auto correlatable = [&](const Incident& inc) {
        if (inc.origin != IncidentOrigin::XdrConnector || !inc.open()) return false;
        for (int a = 0; a < kMaxAlerts; ++a)
            if (inc.holds(a) && !tables_.xdr.accepts(s.alerts[a].xdr, defender_xdr::Event::IncidentsCorrelated)) return false;
        return true;
    };
    for (int i = 0; i < s.incident_count; ++i)
        for (int j = i + 1; j < s.incident_count; ++j)
            if (correlatable(s.incidents[i]) && correlatable(s.incidents[j]))
                out.push({ActionKind::CorrelateInXdr, 0, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(j)});
}

// The alerts of the XDR incident an alert is in: the open merged incident holding it, or just it.
std::uint8_t System::xdr_incident_alerts(const State& s, int alert) const {
    for (int i = 0; i < s.incident_count; ++i) {
        const Incident& inc = s.incidents[i];
        if (inc.origin == IncidentOrigin::XdrConnector && inc.open() && inc.holds(alert)) return inc.alerts;
    }
    return static_cast<std::uint8_t>(1u << alert);
}

// Under subscription-before-tenant the tenant connector is the slowest path: it delivers an
// alert only when the sub connector has written every change it owes and the Sentinel side
// (rules, automation) has reacted to them (B8: its row then already says Resolved).
bool System::subscription_path_settled(const State& s, int alert) const {
    const AlertSlot& slot = s.alerts[alert];
    if (slot.sub_forwarding != subscription_connector::Forwarding::UpToDate) return false;
    const auto seen = incident_creation_rule::Event::MatchingRowSeen;
    int first = 0;
    if (slot.presence == security_alert_table::Presence::HasRows && tables_.rule.accepts(slot.rule, seen)) return false;
    if (time_window_row(slot, &first) && tables_.time_window_rule.accepts(slot.time_window_rule, seen)) return false;
    if (tables_.automation.accepts(s.automation, automation_rule::Event::NewIncidentSeen))
        for (int i = 0; i < s.incident_count; ++i)
            if (s.incidents[i].open() && s.incidents[i].holds(alert)) return false;
    return true;
}

// Which way the XDR connector would bring the alert's incident now (see xdr_connector.hpp).
xdr_connector::Event System::bring_event(const State& s, int alert) const {
    const AlertSlot& slot = s.alerts[alert];
    if (slot.presence == security_alert_table::Presence::HasRows) return xdr_connector::Event::BroughtAfterRow;
    const bool row_coming = s.coverage[slot.subscription] == subscription_connector::Coverage::Covered ||
                            slot.tenant_delivery != tenant_connector::Delivery::Silent;
    return row_coming ? xdr_connector::Event::BroughtBeforeRow : xdr_connector::Event::BroughtWithNoRowComing;
}

// The time-window rule matches only rows whose StartTime is right (DOMAIN decision 10).
bool System::time_window_row(const AlertSlot& slot, int* first) const {
    for (int r = 0; r < slot.row_count; ++r)
        if (slot.row(r).start_time_ok) {
            *first = r;
            return true;
        }
    return false;
}

// ---------------------------------------------------------------- successor

State System::apply(const State& from, const Action& act) const {
    State s = from;
    const int a = act.alert;
    AlertSlot& slot = s.alerts[a];
    switch (act.kind) {
    case ActionKind::CreateSubscription:
        s.subscriptions[act.target] = *tables_.subscription.next(s.subscriptions[act.target], environment::SubscriptionEvent::SubscriptionCreated);
        if (auto c = tables_.coverage.next(s.coverage[act.target], subscription_connector::CoverageEvent::SubscriptionCreated))
            s.coverage[act.target] = *c;
        break;
    case ActionKind::RaiseAlert:
        slot.subscription = act.target;
        slot.future_start_time = act.variant;
        change_mdc_status(s, a, AlertEvent::Raised);
        break;
    case ActionKind::ResolveInMdc: change_mdc_status(s, a, AlertEvent::ResolvedByAnalyst); break;
    case ActionKind::DismissInMdc: change_mdc_status(s, a, AlertEvent::DismissedByAnalyst); break;
    case ActionKind::ReopenInMdc: change_mdc_status(s, a, AlertEvent::ReopenedByAnalyst); break;
    case ActionKind::CloseInSentinel: close_in_sentinel(s, act.target, IncidentEvent::ClosedByAnalyst); break;
    // Closing the alert's incident in XDR closes, in step, the MDC alerts that incident holds
    // (DOMAIN decision 8): after a correlation that is every alert of the merged incident.
    case ActionKind::CloseInXdr: {
        const std::uint8_t held = xdr_incident_alerts(s, a);
        for (int b = 0; b < kMaxAlerts; ++b)
            if ((held >> b) & 1u) change_mdc_status(s, b, AlertEvent::ClosedBySync);
        break;
    }
    case ActionKind::ForwardBySubscriptionConnector: {
        const Status status = slot.history_at(slot.history_len - owed_rows(slot.sub_forwarding));
        slot.sub_forwarding = *tables_.forwarding.next(slot.sub_forwarding, subscription_connector::ForwardingEvent::RowForwarded);
        append_row(s, a, {status, Writer::SubscriptionConnector, !slot.future_start_time && !act.variant});
        break;
    }
    case ActionKind::DeliverByTenantConnector:
    case ActionKind::DeliverAgainByTenantConnector: {
        const auto e = act.kind == ActionKind::DeliverAgainByTenantConnector ? tenant_connector::Event::DeliveredAgain
                       : subscription_path_settled(s, a)                     ? tenant_connector::Event::Delivered
                                                                              : tenant_connector::Event::DeliveredAhead;
        slot.tenant_delivery = *tables_.tenant.next(slot.tenant_delivery, e);
        append_row(s, a, {slot.mdc, Writer::TenantConnector, !slot.future_start_time});
        break;
    }
    case ActionKind::IngestInXdr:
        slot.xdr = *tables_.xdr.next(slot.xdr, defender_xdr::Event::AlertIngested);
        trigger_tenant_connector(slot);
        break;
    case ActionKind::BringXdrIncident: {
        slot.xdr_connector = *tables_.xdr_connector.next(slot.xdr_connector, bring_event(s, a));
        Incident incident{static_cast<std::uint8_t>(1u << a), IncidentOrigin::XdrConnector};
        // It arrives in the XDR incident's current state, which follows the MDC alert.
        if (mdc_alert::is_closed(slot.mdc)) incident.status = *tables_.incident.next(incident.status, IncidentEvent::ClosedBySync);
        add_incident(s, incident);
        break;
    }
    case ActionKind::CreateIncidentByRule:
        slot.rule = *tables_.rule.next(slot.rule, incident_creation_rule::Event::MatchingRowSeen);
        add_incident(s, {static_cast<std::uint8_t>(1u << a), IncidentOrigin::IncidentCreationRule,
                         sentinel_incident::Status::New, slot.row(0).writer});
        break;
    case ActionKind::CreateIncidentByTimeWindowRule: {
        int first = 0;
        time_window_row(slot, &first);
        slot.time_window_rule = *tables_.time_window_rule.next(slot.time_window_rule, incident_creation_rule::Event::MatchingRowSeen);
        add_incident(s, {static_cast<std::uint8_t>(1u << a), IncidentOrigin::TimeWindowRule,
                         sentinel_incident::Status::New, slot.row(first).writer});
        break;
    }
    case ActionKind::CloseByAutomation: close_in_sentinel(s, act.target, IncidentEvent::ClosedByAutomation); break;
    case ActionKind::CorrelateInXdr: {
        Incident& first = s.incidents[act.target];
        Incident& second = s.incidents[act.variant];
        const Incident merged{static_cast<std::uint8_t>(first.alerts | second.alerts), IncidentOrigin::XdrConnector};
        first.status = *tables_.incident.next(first.status, IncidentEvent::RedirectedByCorrelation);
        second.status = *tables_.incident.next(second.status, IncidentEvent::RedirectedByCorrelation);
        add_incident(s, merged);
        break;
    }
    }
    return s;
}

// An MDC status change: the sub connector owes a row if it covers the subscription, the tenant
// connector owes a delivery if XDR has the alert, and XDR closes incidents whose alerts are all closed.
void System::change_mdc_status(State& s, int alert, AlertEvent e) const {
    AlertSlot& slot = s.alerts[alert];
    const auto next = tables_.mdc_alert.next(slot.mdc, e);
    if (!next) return;  // a sync leaves an alert that is already closed as it is
    slot.mdc = *next;
    slot.append_history(*next);
    if (rows_written_ && s.coverage[slot.subscription] == subscription_connector::Coverage::Covered)
        slot.sub_forwarding = *tables_.forwarding.next(slot.sub_forwarding, subscription_connector::ForwardingEvent::StatusChanged);
    if (slot.xdr == defender_xdr::Ingestion::Ingested) trigger_tenant_connector(slot);
    xdr_sync(s);
}

// XDR has something new for the alert: the tenant connector owes a delivery (if it is on).
void System::trigger_tenant_connector(AlertSlot& slot) const {
    if (!rows_written_) return;
    if (auto t = tables_.tenant.next(slot.tenant_delivery, tenant_connector::Event::Triggered)) slot.tenant_delivery = *t;
}

// Closing an incident in Sentinel (analyst or automation): the sub connector's bi-directional
// sync and, for XDR incidents, the XDR two-way sync close the MDC alerts it holds.
void System::close_in_sentinel(State& s, int index, sentinel_incident::Event e) const {
    s.incidents[index].status = *tables_.incident.next(s.incidents[index].status, e);
    const Incident incident = s.incidents[index];
    for (int a = 0; a < kMaxAlerts; ++a) {
        if (!incident.holds(a)) continue;
        if (sub_sync_applies(s, incident, a) || incident.origin == IncidentOrigin::XdrConnector)
            change_mdc_status(s, a, AlertEvent::ClosedBySync);
    }
}

bool System::sub_sync_applies(const State& s, const Incident& incident, int alert) const {
    const auto coverage = s.coverage[s.alerts[alert].subscription];
    if (!tables_.coverage.accepts(coverage, subscription_connector::CoverageEvent::IncidentClosedInSentinel)) return false;
    if (config_.connectors.subscription.sync_scope == SyncScope::AlertId) return true;
    return incident.origin != IncidentOrigin::XdrConnector && incident.first_row_writer == Writer::SubscriptionConnector;
}

// XDR keeps its incidents in step with the MDC alerts: an open XDR incident whose alerts are all
// closed is closed, and the XDR connector mirrors that into Sentinel at once.
void System::xdr_sync(State& s) const {
    for (int i = 0; i < s.incident_count; ++i) {
        Incident& incident = s.incidents[i];
        if (incident.origin == IncidentOrigin::XdrConnector && incident.open() && all_alerts_closed(s, incident))
            incident.status = *tables_.incident.next(incident.status, IncidentEvent::ClosedBySync);
    }
}

void System::append_row(State& s, int alert, SecurityAlertRow row) const {
    AlertSlot& slot = s.alerts[alert];
    slot.append_row(row);
    slot.presence = *tables_.table.next(slot.presence, security_alert_table::Event::RowAppended);
}

// Incidents stay sorted by key (a status change keeps the key): the new one is inserted in place.
void System::add_incident(State& s, Incident incident) const {
    if (s.incident_count >= kMaxIncidents) throw std::logic_error("incident capacity exceeded");
    int i = s.incident_count++;
    for (; i > 0 && s.incidents[i - 1].key() > incident.key(); --i) s.incidents[i] = s.incidents[i - 1];
    s.incidents[i] = incident;
}

namespace {

// How many of a word's four bytes are 1, for any byte values: each byte becomes zero where it
// was 1, its top bit is then set where it is not zero (the sum cannot carry into the next byte),
// and one multiplication adds up the zero bytes. A compare per field was 17 instructions per
// alert, and progress runs on every transition.
int bytes_equal_to_one(std::uint32_t w) {
    const std::uint32_t x = w ^ 0x01010101u;
    const std::uint32_t nonzero = ((x & 0x7f7f7f7fu) + 0x7f7f7f7fu) | x;
    return static_cast<int>(((~nonzero & 0x80808080u) >> 7) * 0x01010101u >> 24);
}

template <class T>
std::uint32_t four_bytes_at(const T& first) {
    std::uint32_t w;
    std::memcpy(&w, &first, 4);
    return w;
}

// The four one-step milestones of an alert are adjacent bytes, each 1 when reached.
static_assert(offsetof(AlertSlot, xdr_connector) == offsetof(AlertSlot, xdr) + 1 &&
              offsetof(AlertSlot, rule) == offsetof(AlertSlot, xdr) + 2 &&
              offsetof(AlertSlot, time_window_rule) == offsetof(AlertSlot, xdr) + 3);
static_assert(static_cast<int>(defender_xdr::Ingestion::Ingested) == 1 && static_cast<int>(xdr_connector::Sync::InSentinel) == 1 &&
              static_cast<int>(incident_creation_rule::Lane::IncidentMade) == 1);
static_assert(kMaxSubscriptions == 4 && static_cast<int>(environment::Subscription::Exists) == 1);

}  // namespace

// Everything the system does is irreversible: a status is added to the history, a row appended,
// an incident made or closed, a subscription created. The sum strictly grows on every action, so
// the reachable graph has no cycle and every run ends; the checker verifies this on every edge.
// Alerts beyond the scope never change, nor do subscriptions beyond it (so counting all four
// adds the same to every state).
std::uint64_t System::progress(const State& s) const {
    std::uint64_t p = 0;
    for (const AlertSlot& slot : std::span(s.alerts).first(static_cast<std::size_t>(config_.scope.alerts)))
        p += slot.history_len + slot.row_count + bytes_equal_to_one(four_bytes_at(slot.xdr));
    for (int i = 0; i < s.incident_count; ++i) p += 1 + !s.incidents[i].open();
    return p + bytes_equal_to_one(four_bytes_at(s.subscriptions));
}

// ---------------------------------------------------------------- slicing

std::optional<System> System::sliced(std::uint32_t reads) const {
    const bool rules_read_rows = config_.rules.incident_creation || config_.rules.time_window;
    const bool xdr_waits_for_rows = config_.connectors.xdr.enabled && config_.xdr.mdc_alerts == XdrMdcAlerts::All &&
                                    !config_.faults.xdr_incident_before_alert;
    if (!rows_written_ || (reads & facts::rows) || rules_read_rows || xdr_waits_for_rows) return std::nullopt;
    System slice = *this;
    slice.rows_written_ = false;
    return slice;
}

// ---------------------------------------------------------------- cutoff

std::optional<System> System::cutoff(std::uint32_t reads) const {
    if (config_.scope.alerts <= 1 || may_correlate() || (reads & facts::across_alerts)) return std::nullopt;
    Config one = config_;
    one.scope.alerts = 1;
    System smaller(one);
    smaller.rows_written_ = rows_written_;
    return smaller;
}

// ---------------------------------------------------------------- partial-order reduction

int System::owner(const State& s, const Action& a) const {
    switch (a.kind) {
    case ActionKind::CreateSubscription:
    case ActionKind::RaiseAlert:  // its alert has no part yet; raising enables the next alert's raise
    case ActionKind::CorrelateInXdr: return -1;
    case ActionKind::CloseInSentinel:
    case ActionKind::CloseByAutomation: {
        const unsigned held = s.incidents[a.target].alerts;
        return std::popcount(held) == 1 ? std::countr_zero(held) : -1;
    }
    default: return a.alert;
    }
}

// An alert whose part of the state no other alert's action can touch until it acts itself:
// raised, held by no incident that holds another alert, and out of reach of XDR correlation,
// which merges open XDR incidents in Sentinel. Its XDR incident is not open in Sentinel: either
// closed (incidents never reopen) or not brought yet, and only the alert's own actions (ingest,
// then bring) can bring it; no other alert can enable or disable one of its actions. Other
// alerts' syncs leave its incidents alone: XDR closes an open incident only when its last alert
// closes, so an open incident always holds an open alert.
bool System::stands_alone(const State& s, int alert) const {
    if (!s.alerts[alert].raised()) return false;
    bool xdr_incident_open = false;
    for (int i = 0; i < s.incident_count; ++i) {
        const Incident& inc = s.incidents[i];
        if (!inc.holds(alert)) continue;
        if (std::popcount(inc.alerts) > 1) return false;
        xdr_incident_open |= inc.origin == IncidentOrigin::XdrConnector && inc.open();
    }
    return !may_correlate() || !xdr_incident_open;
}

// XDR correlation merges the alerts' incidents: only when it is on and XDR brings MDC alerts.
bool System::may_correlate() const {
    return config_.faults.xdr_correlation && config_.connectors.xdr.enabled && config_.xdr.mdc_alerts == XdrMdcAlerts::All;
}

// The alert that stands alone, has a fair action enabled, and the fewest enabled actions; -1
// when there is none (then every action is explored).
int System::ample_alert(const State& s, const ActionList& actions) const {
    std::array<int, kMaxAlerts> count{};
    std::array<bool, kMaxAlerts> fair{};
    for (const Action& a : actions)
        if (const int alert = owner(s, a); alert >= 0) {
            ++count[alert];
            fair[alert] = fair[alert] || is_fair(a);
        }
    int best = -1;
    for (int a = 0; a < config_.scope.alerts; ++a)
        if (fair[a] && (best < 0 || count[a] < count[best]) && stands_alone(s, a)) best = a;
    return best;
}

// ---------------------------------------------------------------- symmetry

namespace {

// What holds an alert, as an order-free sum of mixed one-byte codes: two alerts whose slots are
// equal are told apart by the incidents holding them (a merge partner, say). A collision only
// costs reduction (two representatives for one class), never soundness.
std::uint64_t incident_signature(const State& s, int alert) {
    std::uint64_t sum = 0;
    for (int i = 0; i < s.incident_count; ++i) {
        const Incident& inc = s.incidents[i];
        if (!inc.holds(alert)) continue;
        std::uint64_t code = static_cast<unsigned>(inc.origin) | static_cast<unsigned>(inc.status) << 2 |
                             static_cast<unsigned>(inc.first_row_writer) << 4 |
                             static_cast<unsigned>(std::popcount(inc.alerts)) << 5;
        code = (code + 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;  // splitmix64's mixing step
        sum += code ^ (code >> 31);
    }
    return sum;
}

// Bit order[i] of `alerts` becomes bit i.
std::uint8_t rename_alerts(std::uint8_t alerts, const std::array<int, kMaxAlerts>& order) {
    unsigned renamed = 0;
    for (int i = 0; i < kMaxAlerts; ++i) renamed |= ((alerts >> order[i]) & 1u) << i;
    return static_cast<std::uint8_t>(renamed);
}

// The slots' bytes in memcmp's order (the first byte that differs decides), inline: memcmp,
// called for an ordering, was two calls per representative. Any total order would make
// representatives; this one keeps them the states they were. Words read as big-endian numbers
// compare as their bytes do; the last word overlaps the one before, whose bytes then agree.
int compare_slots(const AlertSlot& x, const AlertSlot& y) {
    static_assert(sizeof(AlertSlot) > 16 && sizeof(AlertSlot) <= 24 && std::endian::native == std::endian::little);
    const auto word = [](const AlertSlot& slot, std::size_t at) {
        std::uint64_t w;
        std::memcpy(&w, reinterpret_cast<const std::byte*>(&slot) + at, 8);
        return __builtin_bswap64(w);
    };
    for (const std::size_t at : {std::size_t{0}, std::size_t{8}, sizeof(AlertSlot) - 8})
        if (const std::uint64_t a = word(x, at), b = word(y, at); a != b) return a < b ? -1 : 1;
    return 0;
}

// True when the alert slots are already strictly in the representative's order (raised first,
// then by bytes): the common case, which needs no signature and no renaming.
bool slots_in_order(const State& s) {
    for (int a = 0; a + 1 < kMaxAlerts; ++a) {
        const AlertSlot& x = s.alerts[a];
        const AlertSlot& y = s.alerts[a + 1];
        if (!y.raised()) continue;
        if (!x.raised() || compare_slots(x, y) >= 0) return false;
    }
    return true;
}

// Everything that reads an alert's SecurityAlert rows sees only: whether there is a row with a
// right StartTime (the time-window rule, a property), the newest row's status, how many rows
// each status has (no-duplicate-rows), and, only when the sub connector syncs by its own rows,
// the writers of the first row and of the first right row (the rules' incidents record them).
// Two row lists that agree on these facts behave alike from here on, since appending a row
// keeps them agreeing. So the rows are rewritten to one canonical list with the same facts: the
// rows before the newest sorted by status, every writer the sub connector, every StartTime
// wrong but the first right one; when writers are read, the first row stays as it is and the
// first right StartTime moves to the second row with its writer.
void canonicalize_rows(AlertSlot& slot, bool writers_read) {
    const int n = slot.row_count;
    const int kept = writers_read ? 1 : 0;  // rows at the front kept as they are
    if (n <= kept) return;
    std::array<SecurityAlertRow, kMaxRowsPerAlert> rows;
    int first_ok = -1;
    for (int r = 0; r < n; ++r) {
        rows[r] = slot.row(r);
        if (first_ok < 0 && rows[r].start_time_ok) first_ok = r;
    }
    const Writer ok_writer = rows[std::max(first_ok, 0)].writer;
    for (int r = kept; r < n; ++r) rows[r] = {rows[r].status, Writer::SubscriptionConnector, false};
    std::sort(rows.begin() + kept, rows.begin() + n - 1,
              [](const SecurityAlertRow& x, const SecurityAlertRow& y) { return x.status < y.status; });
    if (first_ok >= kept) {
        const int at = std::min(kept, n - 1);
        rows[at] = {rows[at].status, writers_read ? ok_writer : Writer::SubscriptionConnector, true};
    }
    slot.rows = {};
    slot.row_count = 0;
    for (int r = 0; r < n; ++r) slot.append_row(rows[r]);
}

// Two subscriptions that exist with the same coverage stay alike for good (coverage changes
// only when a subscription is set up or created), so an alert in either is put in the first.
void canonicalize_subscriptions(State& s) {
    for (AlertSlot& slot : s.alerts) {
        if (!slot.raised()) continue;
        for (int j = 0; j < slot.subscription; ++j)
            if (s.subscriptions[j] == environment::Subscription::Exists && s.coverage[j] == s.coverage[slot.subscription]) {
                slot.subscription = static_cast<std::uint8_t>(j);
                break;
            }
    }
}

}  // namespace

State System::representative(const State& from) const {
    State s = from;
    const bool writers_read = config_.connectors.subscription.sync_scope == SyncScope::OwnRows;
    for (AlertSlot& slot : s.alerts) canonicalize_rows(slot, writers_read);
    if (!writers_read)
        for (int i = 0; i < s.incident_count; ++i) s.incidents[i].first_row_writer = Writer::SubscriptionConnector;
    canonicalize_subscriptions(s);
    if (slots_in_order(s)) return s;
    std::array<int, kMaxAlerts> order;
    std::iota(order.begin(), order.end(), 0);
    std::array<std::uint64_t, kMaxAlerts> signature{};
    for (int a = 0; a < kMaxAlerts; ++a) signature[a] = incident_signature(s, a);
    // Raised alerts first (new alerts are raised in index order), then by slot bytes, then by
    // what holds them. A stable sort keeps ties as they are: still a member of the class. An
    // insertion sort is one, and for six alerts far cheaper than std::stable_sort, which took a
    // heap buffer on every call (13% of the instructions of a search with symmetry reduction).
    const auto before = [&](int x, int y) {
        const AlertSlot& a = s.alerts[x];
        const AlertSlot& b = s.alerts[y];
        if (a.raised() != b.raised()) return a.raised();
        if (const int c = compare_slots(a, b); c != 0) return c < 0;
        return signature[x] < signature[y];
    };
    for (int i = 1; i < kMaxAlerts; ++i)
        for (int j = i; j > 0 && before(order[j], order[j - 1]); --j) std::swap(order[j], order[j - 1]);
    State r = s;
    for (int i = 0; i < kMaxAlerts; ++i) r.alerts[i] = s.alerts[order[i]];
    for (int i = 0; i < r.incident_count; ++i) r.incidents[i].alerts = rename_alerts(s.incidents[i].alerts, order);
    sort_incidents(r);
    return r;
}

}  // namespace alertflow::model
