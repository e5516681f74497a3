// The sentences every teaching command shares: words, and the Narrator that tells a run.
#include "cli/teach.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "traces/changes.hpp"
#include "traces/narrate.hpp"

namespace alertflow::cli {

// ================================================================ words

std::string capitalised(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

std::string and_list(const std::vector<std::string>& items) {
    if (items.size() <= 1) return items.empty() ? "" : items.front();
    const std::vector<std::string> head(items.begin(), items.end() - 1);
    return fmt::format("{} and {}", fmt::join(head, ", "), items.back());
}

namespace {

using model::ActionKind;
using model::AlertSlot;
using model::Incident;
using model::IncidentOrigin;
using model::State;
using model::mdc_alert::Status;
using traces::alert_name;
using traces::incident_name;

std::string rows_phrase(int n) { return n == 1 ? "a row" : fmt::format("{} rows", n); }

std::string writer_phrase(model::Writer w) {
    return component_name(w == model::Writer::SubscriptionConnector ? "subscription connector" : "tenant connector");
}

bool tenant_owes(model::tenant_connector::Delivery d) {
    return d == model::tenant_connector::Delivery::Owes || d == model::tenant_connector::Delivery::OwesDuplicateSpent;
}

const Incident* find_by_label(const State& s, const std::string& label) {
    for (int i = 0; i < s.incident_count; ++i)
        if (traces::incident_label(s.incidents[i]) == label) return &s.incidents[i];
    return nullptr;
}

// A path of traces::changed_fields, split: "alerts.A1.mdc_status" -> {Alert, "A1", "mdc_status"},
// "incidents[Azure Sentinel incident for A1].status" -> {Incident, label, "status"}.
struct Where {
    enum Kind { Alert, Incident, Subscription, Other } kind = Other;
    std::string id, field;
};

Where where(const std::string& path) {
    const auto dotted = [&](Where::Kind kind, std::size_t prefix) {
        const std::string rest = path.substr(prefix);
        const auto dot = rest.find('.');
        return Where{kind, rest.substr(0, dot), dot == std::string::npos ? "" : rest.substr(dot + 1)};
    };
    if (path.starts_with("alerts.")) return dotted(Where::Alert, 7);
    if (path.starts_with("subscriptions.")) return dotted(Where::Subscription, 14);
    if (path.starts_with("incidents[")) {
        const auto close = path.find(']');
        if (close == std::string::npos) return {};
        return {Where::Incident, path.substr(10, close - 10), close + 2 <= path.size() ? path.substr(std::min(close + 2, path.size())) : ""};
    }
    return {};
}

// Does the step's main clause already say what this change says?
bool said_by_main_clause(const model::Action& act, const Where& w, const State& before, const State& after) {
    const std::string me = alert_name(act.alert);
    const auto mine = [&](std::initializer_list<std::string_view> fields) {
        return w.kind == Where::Alert && w.id == me && std::find(fields.begin(), fields.end(), w.field) != fields.end();
    };
    const auto incident_is = [&](const Incident& inc) { return w.kind == Where::Incident && w.id == traces::incident_label(inc); };
    if (w.kind == Where::Alert && w.field == "history") return true;  // told by the status change
    switch (act.kind) {
    case ActionKind::CreateSubscription:
        return w.kind == Where::Subscription && w.id == traces::subscription_name(act.target);
    case ActionKind::RaiseAlert: return mine({"mdc_status", "subscription", "start_time_in_future"});
    case ActionKind::ResolveInMdc:
    case ActionKind::DismissInMdc:
    case ActionKind::ReopenInMdc: return mine({"mdc_status"});
    case ActionKind::CloseInSentinel:
    case ActionKind::CloseByAutomation: return incident_is(before.incidents[act.target]) && w.field == "status";
    case ActionKind::CloseInXdr: return false;
    case ActionKind::ForwardBySubscriptionConnector:
        return w.kind == Where::Alert && w.id == me &&
               (w.field.starts_with("security_alert_rows") ||
                (w.field == "subscription_connector_owes" &&
                 model::subscription_connector::owed_rows(after.alerts[act.alert].sub_forwarding) == 0));
    case ActionKind::DeliverByTenantConnector:
    case ActionKind::DeliverAgainByTenantConnector:
        return w.kind == Where::Alert && w.id == me && w.field.starts_with("security_alert_rows");
    case ActionKind::IngestInXdr: return mine({"in_xdr"});
    case ActionKind::BringXdrIncident:
    case ActionKind::CreateIncidentByRule:
    case ActionKind::CreateIncidentByTimeWindowRule: {
        const Incident* made = traces::created_incident(before, after);
        return made && incident_is(*made) && w.field.empty();
    }
    case ActionKind::CorrelateInXdr: {
        const Incident* made = traces::created_incident(before, after);
        if (made && incident_is(*made) && w.field.empty()) return true;
        return (incident_is(before.incidents[act.target]) || incident_is(before.incidents[act.variant])) &&
               (w.field == "status" || w.field.starts_with("tags"));
    }
    }
    return false;
}

}  // namespace

// ================================================================ Narrator

namespace {

// A component as a run names it: its short name, and the clause that introduces it.
struct Intro {
    std::string_view actor, short_name, introduced;
};

Intro intro_of(std::string_view actor, const model::Config& config) {
    const bool all_alerts = config.xdr.mdc_alerts == model::XdrMdcAlerts::All;
    const Intro intros[] = {
        {"Defender for Cloud", "Defender for Cloud", "Defender for Cloud (MDC)"},
        {"subscription connector", "the subscription-based connector",
         "the subscription-based connector, which writes a new SecurityAlert row for every status change of an alert "
         "in the subscriptions it covers,"},
        {"tenant connector", "the tenant-based connector", "the tenant-based connector, which reads alerts from Defender XDR,"},
        {"Defender XDR", "Defender XDR",
         all_alerts ? "Defender XDR, whose MDC setting is All alerts so that it receives every MDC alert," : "Defender XDR"},
        {"XDR connector", "the XDR connector",
         "the XDR connector, which brings Defender XDR incidents into Sentinel but not the alerts' SecurityAlert rows,"},
        {"incident creation rule", "the incident creation rule",
         "the incident creation rule, which makes one incident from the first SecurityAlert row of each alert,"},
        {"time-window rule", "the custom time-window rule",
         "the custom time-window rule, which looks for rows with StartTime > ago(1h) and StartTime < now(),"},
        {"automation rule", "the automation rule", "the automation rule, which closes every new incident,"},
        {"analyst", "an analyst", "an analyst"},
    };
    for (const Intro& i : intros)
        if (i.actor == actor) return i;
    return {actor, actor, actor};
}

}  // namespace

std::string component_name(std::string_view actor) { return std::string(intro_of(actor, model::Config{}).short_name); }

std::string Narrator::name(std::string_view actor) {
    const Intro intro = intro_of(actor, config_);
    if (introduced_.contains(actor)) return std::string(intro.short_name);
    introduced_.emplace(actor);
    return std::string(intro.introduced);
}

std::string Narrator::sentence(const State& before, const model::Action& act, const State& after) {
    const std::string a = alert_name(act.alert);
    const AlertSlot& slot_before = before.alerts[act.alert];
    const AlertSlot& slot_after = after.alerts[act.alert];
    const Incident* made = traces::created_incident(before, after);
    const std::string who = capitalised(name(model::actor(act.kind)));

    // The row a connector just appended: "as New (row 1, with a portal.azure.com link)".
    const auto new_row = [&]() {
        const auto row = slot_after.row(slot_after.row_count - 1);
        std::string extra;
        if (!row.start_time_ok)
            extra = slot_after.future_start_time ? ", and a StartTime in the future, outside the one-hour window"
                                                 : ", and a StartTime that is not UTC, outside the one-hour window";
        std::string why;
        int same = 0;
        for (int r = 0; r < slot_before.row_count; ++r) same += slot_before.row(r).status == row.status;
        if (act.kind == ActionKind::DeliverAgainByTenantConnector) why = ": a duplicate delivery";
        else if (same > 0) why = fmt::format(": a second row saying {} for the same status", traces::row_status_name(row.status));
        else if (slot_before.row_count > 0) why = ": a new row for the status change, since SecurityAlert rows are never updated";
        else if (row.writer == model::Writer::TenantConnector && row.status != Status::Active)
            why = ", the status the alert has when the connector delivers it";
        return fmt::format("as {} (row {}, with a {} link{}){}", traces::row_status_name(row.status), after.total_rows(),
                           model::security_alert_table::link(row.writer), extra, why);
    };

    std::string main;
    switch (act.kind) {
    case ActionKind::CreateSubscription: {
        const bool covered = after.coverage[act.target] == model::subscription_connector::Coverage::Covered;
        main = fmt::format("Subscription {} is created", traces::subscription_name(act.target));
        if (covered) main += ", and the new-subscription policy enables the subscription-based connector for it";
        else if (config_.connectors.subscription.enabled)
            main += ", and the subscription-based connector is not enabled for it (there is no new-subscription policy)";
        break;
    }
    case ActionKind::RaiseAlert:
        main = fmt::format("{} raises alert {} in subscription {}{}", who, a, traces::subscription_name(act.target),
                           act.variant ? ", with a StartTime in the future" : "");
        break;
    case ActionKind::ResolveInMdc: main = fmt::format("{} resolves alert {} in Defender for Cloud", who, a); break;
    case ActionKind::DismissInMdc: main = fmt::format("{} dismisses alert {} in Defender for Cloud", who, a); break;
    case ActionKind::ReopenInMdc: main = fmt::format("{} reopens alert {} in Defender for Cloud: it is Active again", who, a); break;
    case ActionKind::CloseInSentinel:
        main = fmt::format("{} closes {} in Sentinel", who, incident_name(before.incidents[act.target]));
        break;
    case ActionKind::CloseInXdr: main = fmt::format("{} closes the XDR incident of alert {} in the Defender portal", who, a); break;
    case ActionKind::ForwardBySubscriptionConnector:
    case ActionKind::DeliverByTenantConnector:
        main = fmt::format("{} writes alert {} into the SecurityAlert table {}{}", who, a,
                           slot_before.row_count > 0 ? "again, " : "", new_row());
        break;
    case ActionKind::DeliverAgainByTenantConnector:
        main = fmt::format("{} writes alert {} into the SecurityAlert table once more, {}", who, a, new_row());
        break;
    case ActionKind::IngestInXdr: main = fmt::format("{} ingests alert {} and opens an XDR incident for it", who, a); break;
    case ActionKind::BringXdrIncident: {
        main = fmt::format("{} brings the XDR incident of alert {} into Sentinel as {}", who, a, made ? incident_name(*made) : "?");
        if (made && !made->open()) main += ", already Closed because the XDR incident is";
        if (slot_after.row_count == 0) {
            const bool row_coming = after.coverage[slot_after.subscription] == model::subscription_connector::Coverage::Covered ||
                                    slot_after.tenant_delivery != model::tenant_connector::Delivery::Silent;
            main += row_coming ? fmt::format(", empty for now: alert {}'s SecurityAlert row has not arrived yet", a)
                               : fmt::format(", empty: no MDC connector will ever write alert {}'s SecurityAlert row", a);
        }
        break;
    }
    case ActionKind::CreateIncidentByRule:
    case ActionKind::CreateIncidentByTimeWindowRule: {
        const std::string_view sees = act.kind == ActionKind::CreateIncidentByRule ? "sees the first SecurityAlert row"
                                                                                  : "finds a row inside its window";
        main = fmt::format("{} {} of alert {}, written by {}, and makes {}", who, sees, a,
                           made ? writer_phrase(made->first_row_writer) : "?", made ? incident_name(*made) : "?");
        const auto first = slot_after.row(0);
        if (act.kind == ActionKind::CreateIncidentByRule && first.status != Status::Active)
            main += fmt::format(", open although that row says {}", traces::row_status_name(first.status));
        break;
    }
    case ActionKind::CloseByAutomation: main = fmt::format("{} closes {}", who, incident_name(before.incidents[act.target])); break;
    case ActionKind::CorrelateInXdr:
        main = fmt::format("{} correlates {} and {} into one new incident, {}; the two old ones are closed and tagged Redirected", who,
                           incident_name(before.incidents[act.target]), incident_name(before.incidents[act.variant]),
                           made ? incident_name(*made) : "?");
        break;
    }

    // What else the step changed, read off the field-by-field difference.
    std::vector<std::string> effects;
    const bool closes_incident = act.kind == ActionKind::CloseInSentinel || act.kind == ActionKind::CloseByAutomation;
    for (const traces::FieldChange& change : traces::changed_fields(config_, before, after)) {
        const Where w = where(change.path);
        if (said_by_main_clause(act, w, before, after)) continue;
        if (w.kind == Where::Alert && w.field == "mdc_status") {
            const std::string status = change.after;
            if (closes_incident && before.incidents[act.target].origin == IncidentOrigin::XdrConnector)
                effects.push_back(fmt::format("the XDR connector's two-way sync closes alert {} in Defender for Cloud, which becomes {}", w.id, status));
            else if (closes_incident)
                effects.push_back(fmt::format("the subscription-based connector's bi-directional sync closes alert {} in Defender for Cloud, which becomes {}", w.id, status));
            else if (act.kind == ActionKind::CloseInXdr)
                effects.push_back(fmt::format("Defender XDR closes alert {} in Defender for Cloud, which becomes {}", w.id, status));
            else
                effects.push_back(fmt::format("alert {} becomes {} in Defender for Cloud", w.id, status));
        } else if (w.kind == Where::Alert && w.field == "subscription_connector_owes") {
            const int was = std::stoi(change.before.empty() ? "0" : change.before);
            const int now = std::stoi(change.after.empty() ? "0" : change.after);
            if (now > was) effects.push_back(fmt::format("{} now owes {} for alert {}", component_name("subscription connector"), rows_phrase(now), w.id));
            else effects.push_back(fmt::format("it still owes {} for alert {}", rows_phrase(now), w.id));
        } else if (w.kind == Where::Incident && w.field == "status") {
            const Incident* inc = find_by_label(after, w.id);
            if (inc && inc->origin == IncidentOrigin::XdrConnector && !inc->open())
                effects.push_back(fmt::format("Defender XDR closes its incident too, and the XDR connector closes {} in Sentinel", incident_name(*inc)));
            else
                effects.push_back(fmt::format("{} becomes {}", inc ? incident_name(*inc) : "the " + w.id, change.after));
        } else {
            effects.push_back(fmt::format("also changed: {}", traces::describe_change(change)));
        }
    }
    for (int x = 0; x < model::kMaxAlerts; ++x) {
        if (tenant_owes(before.alerts[x].tenant_delivery) || !tenant_owes(after.alerts[x].tenant_delivery)) continue;
        effects.push_back(fmt::format("{} now has alert {} to deliver", component_name("tenant connector"), alert_name(x)));
    }
    // What did NOT happen, where the report shows people expect it.
    if (closes_incident) {
        const Incident& inc = before.incidents[act.target];
        for (int x = 0; x < model::kMaxAlerts; ++x)
            if (inc.holds(x) && after.alerts[x].mdc == Status::Active)
                effects.push_back(fmt::format("nothing syncs it back: alert {} stays Active in Defender for Cloud", alert_name(x)));
    }
    if (act.kind == ActionKind::ResolveInMdc || act.kind == ActionKind::DismissInMdc) {
        for (int i = 0; i < after.incident_count; ++i) {
            const Incident& inc = after.incidents[i];
            if (inc.holds(act.alert) && inc.open())
                effects.push_back(fmt::format("{} stays New: closing the alert in Defender for Cloud does not close it", incident_name(inc)));
        }
    }
    std::string text = main;
    for (const std::string& e : effects) text += "; " + e;
    return text + ".";
}

std::vector<std::string> narrate(const model::Config& config, const properties::Trace& trace) {
    Narrator narrator(config);
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < trace.actions.size(); ++i)
        lines.push_back(fmt::format("Step {}. {}", i + 1, narrator.sentence(trace.states[i], trace.actions[i], trace.states[i + 1])));
    return lines;
}

}  // namespace alertflow::cli
