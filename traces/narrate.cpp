#include "traces/narrate.hpp"

#include <fmt/format.h>

namespace alertflow::traces {

namespace {

using model::ActionKind;
using model::AlertSlot;
using model::Incident;
using model::IncidentOrigin;
using model::mdc_alert::Status;

std::string made_by(IncidentOrigin origin) {
    switch (origin) {
    case IncidentOrigin::IncidentCreationRule: return "incident creation rule";
    case IncidentOrigin::TimeWindowRule: return "time-window rule";
    case IncidentOrigin::XdrConnector: return "XDR connector";
    }
    return "?";
}

std::string alert_list(std::uint8_t alerts) {
    std::string out;
    for (int a = 0; a < model::kMaxAlerts; ++a)
        if ((alerts >> a) & 1u) out.append(out.empty() ? "" : "+").append(alert_name(a));
    return out;
}

std::string writer_name(model::Writer w) {
    return w == model::Writer::SubscriptionConnector ? "subscription connector" : "tenant connector";
}

// "SecurityAlert row 3, link security.microsoft.com": the row the step appended, numbered over
// the whole table in the order rows were written along the trace.
std::string new_row(const model::State& after, int alert) {
    const AlertSlot& slot = after.alerts[alert];
    const auto row = slot.row(slot.row_count - 1);
    return fmt::format("{} as {}: SecurityAlert row {}, link {}{}", alert_name(alert), row_status_name(row.status),
                       after.total_rows(), model::security_alert_table::link(row.writer),
                       row.start_time_ok ? "" : ", StartTime outside the one-hour window");
}

std::string what_happened(const model::State& before, const model::Action& act, const model::State& after) {
    const std::string a = alert_name(act.alert);
    const Incident* made = created_incident(before, after);
    switch (act.kind) {
    case ActionKind::CreateSubscription:
        return fmt::format("subscription {} is created{}", subscription_name(act.target),
                           after.coverage[act.target] == model::subscription_connector::Coverage::Covered
                               ? "; the new-subscription policy enables the subscription connector for it"
                               : "");
    case ActionKind::RaiseAlert:
        return fmt::format("raises alert {} in subscription {}{}", a, subscription_name(act.target),
                           act.variant ? ", with a StartTime in the future" : "");
    case ActionKind::ResolveInMdc: return fmt::format("resolves alert {} in Defender for Cloud", a);
    case ActionKind::DismissInMdc: return fmt::format("dismisses alert {} in Defender for Cloud", a);
    case ActionKind::ReopenInMdc: return fmt::format("reopens alert {} in Defender for Cloud", a);
    case ActionKind::CloseInSentinel: return fmt::format("closes {} in Sentinel", incident_name(before.incidents[act.target]));
    case ActionKind::CloseInXdr: return fmt::format("closes the incident of alert {} in Defender XDR", a);
    case ActionKind::ForwardBySubscriptionConnector:
        return fmt::format("forwards alert {}{}", new_row(after, act.alert), act.variant ? " (not UTC)" : "");
    case ActionKind::DeliverByTenantConnector: return fmt::format("delivers alert {}", new_row(after, act.alert));
    case ActionKind::DeliverAgainByTenantConnector: return fmt::format("delivers alert {} once more", new_row(after, act.alert));
    case ActionKind::IngestInXdr: return fmt::format("ingests alert {} into an XDR incident", a);
    case ActionKind::BringXdrIncident:
        return fmt::format("creates {} in Sentinel{}", incident_name(*made),
                           after.alerts[act.alert].row_count == 0 ? ", empty: the alert's SecurityAlert row is not there" : "");
    case ActionKind::CreateIncidentByRule:
    case ActionKind::CreateIncidentByTimeWindowRule:
        return fmt::format("creates {} from a row written by the {}", incident_name(*made), writer_name(made->first_row_writer));
    case ActionKind::CloseByAutomation: return fmt::format("closes {}", incident_name(before.incidents[act.target]));
    case ActionKind::CorrelateInXdr:
        return fmt::format("correlates {} and {} into {}; the old ones are closed and tagged Redirected",
                           incident_name(before.incidents[act.target]), incident_name(before.incidents[act.variant]),
                           incident_name(*made));
    }
    return "?";
}

// Knock-on effects inside the same step: syncs closing MDC alerts and incidents.
std::vector<std::string> knock_on_effects(const model::State& before, const model::Action& act, const model::State& after) {
    std::vector<std::string> effects;
    const bool analyst_on_alert = act.kind >= ActionKind::RaiseAlert && act.kind <= ActionKind::ReopenInMdc;
    for (int a = 0; a < model::kMaxAlerts; ++a)
        if (before.alerts[a].mdc != after.alerts[a].mdc && !(analyst_on_alert && a == act.alert))
            effects.push_back(fmt::format("MDC alert {} becomes {}", alert_name(a), mdc_status_name(after.alerts[a].mdc)));
    const bool acts_on_incident = act.kind == ActionKind::CloseInSentinel || act.kind == ActionKind::CloseByAutomation ||
                                  act.kind == ActionKind::CorrelateInXdr;
    for (int i = 0; i < before.incident_count; ++i) {
        const Incident& was = before.incidents[i];
        const Incident* now = find_incident(after, was.key());
        const bool acted_on = acts_on_incident && (i == act.target || (act.kind == ActionKind::CorrelateInXdr && i == act.variant));
        if (now && now->status != was.status && !acted_on)
            effects.push_back(fmt::format("{} becomes {}", incident_name(*now), incident_status_name(now->status)));
    }
    const Incident* made = created_incident(before, after);
    if (made && !made->open() && act.kind == ActionKind::BringXdrIncident)
        effects.push_back("it arrives Closed, as the XDR incident already is");
    return effects;
}

}  // namespace

const Incident* find_incident(const model::State& s, int key) {
    for (int i = 0; i < s.incident_count; ++i)
        if (s.incidents[i].key() == key) return &s.incidents[i];
    return nullptr;
}

const Incident* created_incident(const model::State& before, const model::State& after) {
    for (int i = 0; i < after.incident_count; ++i)
        if (!find_incident(before, after.incidents[i].key())) return &after.incidents[i];
    return nullptr;
}

std::string alert_name(int alert) { return fmt::format("A{}", alert + 1); }
std::string subscription_name(int subscription) { return fmt::format("S{}", subscription + 1); }

std::string mdc_status_name(Status status) {
    switch (status) {
    case Status::NotRaised: return "not raised";
    case Status::Active: return "Active";
    case Status::Resolved: return "Resolved";
    case Status::Dismissed: return "Dismissed";
    }
    return "?";
}

std::string row_status_name(Status status) { return status == Status::Active ? "New" : mdc_status_name(status); }

std::string provider_name(IncidentOrigin origin) {
    return origin == IncidentOrigin::XdrConnector ? "Microsoft Defender XDR" : "Azure Sentinel";
}

std::string incident_name(const Incident& incident) {
    return fmt::format("the {} incident for {} ({})", provider_name(incident.origin), alert_list(incident.alerts),
                       made_by(incident.origin));
}

std::string incident_status_name(model::sentinel_incident::Status status) {
    switch (status) {
    case model::sentinel_incident::Status::New: return "New";
    case model::sentinel_incident::Status::Closed: return "Closed";
    case model::sentinel_incident::Status::Redirected: return "Closed, tagged Redirected";
    }
    return "?";
}

std::string describe_step(const model::State& before, const model::Action& action, const model::State& after) {
    std::string line = fmt::format("{} {}", model::actor(action.kind), what_happened(before, action, after));
    for (const std::string& effect : knock_on_effects(before, action, after)) line += "; " + effect;
    return line;
}

std::vector<std::string> describe_state(const model::Config& config, const model::State& s) {
    std::vector<std::string> lines;
    for (int i = 0; i < config.scope.subscriptions; ++i) {
        const bool exists = s.subscriptions[i] == model::environment::Subscription::Exists;
        const bool covered = s.coverage[i] == model::subscription_connector::Coverage::Covered;
        lines.push_back(fmt::format("subscription {}: {}{}", subscription_name(i), exists ? "exists" : "not created yet",
                                    covered ? ", covered by the subscription connector" : ""));
    }
    for (int a = 0; a < config.scope.alerts; ++a) {
        const AlertSlot& slot = s.alerts[a];
        if (!slot.raised()) {
            lines.push_back(fmt::format("alert {}: not raised", alert_name(a)));
            continue;
        }
        lines.push_back(fmt::format("alert {} (subscription {}{}): MDC {}; XDR {}; subscription connector owes {} row(s)",
                                    alert_name(a), subscription_name(slot.subscription),
                                    slot.future_start_time ? ", StartTime in the future" : "", mdc_status_name(slot.mdc),
                                    slot.xdr == model::defender_xdr::Ingestion::Ingested ? "has it" : "does not have it",
                                    model::subscription_connector::owed_rows(slot.sub_forwarding)));
        for (int r = 0; r < slot.row_count; ++r) {
            const auto row = slot.row(r);
            lines.push_back(fmt::format("  SecurityAlert row {} of {}: {} by the {}, link {}{}", r + 1, alert_name(a),
                                        row_status_name(row.status), writer_name(row.writer),
                                        model::security_alert_table::link(row.writer),
                                        row.start_time_ok ? "" : ", StartTime outside the one-hour window"));
        }
    }
    if (s.incident_count == 0) lines.push_back("no Sentinel incident");
    for (int i = 0; i < s.incident_count; ++i)
        lines.push_back(fmt::format("{}: {}", incident_name(s.incidents[i]), incident_status_name(s.incidents[i].status)));
    return lines;
}

nlohmann::json state_json(const model::Config& config, const model::State& s) {
    using nlohmann::json;
    json subscriptions = json::array();
    for (int i = 0; i < config.scope.subscriptions; ++i)
        subscriptions.push_back({{"id", subscription_name(i)},
                                 {"exists", s.subscriptions[i] == model::environment::Subscription::Exists},
                                 {"covered_by_subscription_connector",
                                  s.coverage[i] == model::subscription_connector::Coverage::Covered}});
    json alerts = json::array();
    for (int a = 0; a < config.scope.alerts; ++a) {
        const AlertSlot& slot = s.alerts[a];
        json rows = json::array();
        for (int r = 0; r < slot.row_count; ++r) {
            const auto row = slot.row(r);
            rows.push_back({{"status", row_status_name(row.status)},
                            {"writer", writer_name(row.writer)},
                            {"link", std::string(model::security_alert_table::link(row.writer))},
                            {"start_time_ok", row.start_time_ok}});
        }
        json history = json::array();
        for (int h = 0; h < slot.history_len; ++h) history.push_back(mdc_status_name(slot.history_at(h)));
        alerts.push_back({{"id", alert_name(a)},
                          {"mdc_status", mdc_status_name(slot.mdc)},
                          {"subscription", slot.raised() ? json(subscription_name(slot.subscription)) : json()},
                          {"start_time_in_future", slot.future_start_time != 0},
                          {"history", history},
                          {"subscription_connector_owes", model::subscription_connector::owed_rows(slot.sub_forwarding)},
                          {"in_xdr", slot.xdr == model::defender_xdr::Ingestion::Ingested},
                          {"security_alert_rows", rows}});
    }
    json incidents = json::array();
    for (int i = 0; i < s.incident_count; ++i) {
        const Incident& inc = s.incidents[i];
        json held = json::array();
        for (int a = 0; a < model::kMaxAlerts; ++a)
            if (inc.holds(a)) held.push_back(alert_name(a));
        incidents.push_back({{"provider", provider_name(inc.origin)},
                             {"made_by", made_by(inc.origin)},
                             {"alerts", held},
                             {"status", inc.open() ? "New" : "Closed"},
                             {"tags", inc.redirected() ? json::array({"Redirected"}) : json::array()}});
    }
    return {{"subscriptions", subscriptions}, {"alerts", alerts}, {"incidents", incidents}};
}

}  // namespace alertflow::traces
