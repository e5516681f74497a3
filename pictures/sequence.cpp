#include "pictures/sequence.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "traces/changes.hpp"
#include "pictures/text.hpp"
#include "traces/narrate.hpp"
#include "traces/trace.hpp"

namespace alertflow::pictures {

namespace {

using model::ActionKind;
using traces::changed_fields;
using traces::created_incident;
using traces::find_incident;
using traces::describe_change;
using traces::FieldChange;
using traces::incident_label;
using model::Incident;

// Mermaid participant ids, by lifeline.
constexpr std::array<std::string_view, kLifelines> kIds{
    "Subs", "MDC", "SubConn", "TenantConn", "XDR", "XDRConn", "Rule", "TWRule", "Table", "Incidents", "Automation", "Analyst"};

std::string_view id_of(Lifeline l) { return kIds[static_cast<std::size_t>(l)]; }

std::string the(const Incident& incident) { return "the " + incident_label(incident); }

std::string writer_phrase(model::Writer w) {
    return w == model::Writer::SubscriptionConnector ? "the subscription connector's row" : "the tenant connector's row";
}

// "A1 as New (row 1, portal.azure.com)": the row the step appended, numbered over the table.
std::string row_label(const model::State& after, int alert, std::string_view again, bool not_utc) {
    const auto& slot = after.alerts[alert];
    const auto row = slot.row(slot.row_count - 1);
    std::string extra;
    if (!row.start_time_ok) extra += ", StartTime outside the one-hour window";
    if (not_utc) extra += ", not UTC";
    return fmt::format("{}{} as {} (row {}, {}{})", traces::alert_name(alert), again, traces::row_status_name(row.status),
                       after.total_rows(), model::security_alert_table::link(row.writer), extra);
}

struct Main {
    Lifeline from;
    Lifeline to;
    std::string label;
    std::vector<std::string> incidents;  // labels of the incidents the action itself acts on or makes
};

// The step's own arrow: from the acting component to the component it changes.
Main main_message(const model::State& before, const model::Action& act, const model::State& after) {
    const std::string a = traces::alert_name(act.alert);
    const Incident* made = created_incident(before, after);
    switch (act.kind) {
    case ActionKind::CreateSubscription:
        return {Lifeline::Subscriptions, Lifeline::Subscriptions,
                fmt::format("{} is created", traces::subscription_name(act.target)), {}};
    case ActionKind::RaiseAlert:
        return {Lifeline::Mdc, Lifeline::Mdc,
                fmt::format("raise {} in {}{}", a, traces::subscription_name(act.target),
                            act.variant ? ", StartTime in the future" : ""),
                {}};
    case ActionKind::ResolveInMdc: return {Lifeline::Analyst, Lifeline::Mdc, "resolve " + a, {}};
    case ActionKind::DismissInMdc: return {Lifeline::Analyst, Lifeline::Mdc, "dismiss " + a, {}};
    case ActionKind::ReopenInMdc: return {Lifeline::Analyst, Lifeline::Mdc, "reopen " + a, {}};
    case ActionKind::CloseInSentinel:
    case ActionKind::CloseByAutomation: {
        const Incident& closed = before.incidents[act.target];
        return {act.kind == ActionKind::CloseInSentinel ? Lifeline::Analyst : Lifeline::AutomationRule,
                Lifeline::SentinelIncidents, "close " + the(closed), {incident_label(closed)}};
    }
    case ActionKind::CloseInXdr: return {Lifeline::Analyst, Lifeline::DefenderXdr, "close the XDR incident of " + a, {}};
    case ActionKind::ForwardBySubscriptionConnector:
        return {Lifeline::SubscriptionConnector, Lifeline::SecurityAlertTable, row_label(after, act.alert, "", act.variant != 0), {}};
    case ActionKind::DeliverByTenantConnector:
        return {Lifeline::TenantConnector, Lifeline::SecurityAlertTable, row_label(after, act.alert, "", false), {}};
    case ActionKind::DeliverAgainByTenantConnector:
        return {Lifeline::TenantConnector, Lifeline::SecurityAlertTable, row_label(after, act.alert, " again", false), {}};
    case ActionKind::IngestInXdr: return {Lifeline::DefenderXdr, Lifeline::DefenderXdr, "ingest " + a + " into an XDR incident", {}};
    case ActionKind::BringXdrIncident: {
        std::string label = "create " + the(*made);
        if (after.alerts[act.alert].row_count == 0) label += ", empty: no SecurityAlert row of " + a;
        if (!made->open()) label += ", arriving Closed";
        return {Lifeline::XdrConnector, Lifeline::SentinelIncidents, label, {incident_label(*made)}};
    }
    case ActionKind::CreateIncidentByRule:
    case ActionKind::CreateIncidentByTimeWindowRule:
        return {act.kind == ActionKind::CreateIncidentByRule ? Lifeline::IncidentCreationRule : Lifeline::TimeWindowRule,
                Lifeline::SentinelIncidents,
                fmt::format("create {} from {}", the(*made), writer_phrase(made->first_row_writer)),
                {incident_label(*made)}};
    case ActionKind::CorrelateInXdr: {
        const Incident& x = before.incidents[act.target];
        const Incident& y = before.incidents[act.variant];
        return {Lifeline::DefenderXdr, Lifeline::SentinelIncidents,
                fmt::format("merge {} and {} into {}; the old ones are tagged Redirected", the(x), the(y), the(*made)),
                {incident_label(x), incident_label(y), incident_label(*made)}};
    }
    }
    return {Lifeline::Mdc, Lifeline::Mdc, "?", {}};
}

// A changed field's owner and what it is: "alerts.A1.mdc_status" -> (alert A1, field mdc_status).
struct Place {
    std::string group;   // alerts | subscriptions | incidents
    std::string item;    // A1 | S1 | the incident's label
    std::string field;   // mdc_status | ... | "" for a whole incident
};

Place place_of(const std::string& path) {
    Place p;
    const auto bracket = path.find('[');
    const auto dot = path.find('.');
    if (bracket != std::string::npos && (dot == std::string::npos || bracket < dot)) {
        const auto close = path.find(']', bracket);
        p.group = path.substr(0, bracket);
        p.item = path.substr(bracket + 1, close - bracket - 1);
        if (close + 1 < path.size() && path[close + 1] == '.') p.field = path.substr(close + 2);
        return p;
    }
    p.group = path.substr(0, dot);
    if (dot == std::string::npos) return p;
    const auto second = path.find('.', dot + 1);
    p.item = path.substr(dot + 1, second == std::string::npos ? std::string::npos : second - dot - 1);
    if (second != std::string::npos) p.field = path.substr(second + 1);
    return p;
}

// The component whose state a field is; fields drawn by the step's own arrow have no lifeline of
// their own here (an alert's history goes with its status, its subscription with its raise).
Lifeline owner_of(const Place& p) {
    if (p.group == "incidents") return Lifeline::SentinelIncidents;
    if (p.group == "subscriptions")
        return p.field == "covered_by_subscription_connector" ? Lifeline::SubscriptionConnector : Lifeline::Subscriptions;
    if (p.field == "subscription_connector_owes") return Lifeline::SubscriptionConnector;
    if (p.field == "in_xdr") return Lifeline::DefenderXdr;
    if (p.field.rfind("security_alert_rows", 0) == 0) return Lifeline::SecurityAlertTable;
    return Lifeline::Mdc;
}

bool goes_with_status(const Place& p) {
    return p.group == "alerts" && (p.field == "history" || p.field == "subscription" || p.field == "start_time_in_future");
}

std::string rows_phrase(const std::string& owed) { return owed == "1" ? "1 row to forward" : owed + " rows to forward"; }

// The knock-on effects of one step, read off the fields it changed.
std::vector<Message> knock_ons(int step, const Main& main, const std::vector<FieldChange>& changes,
                               const model::State& after) {
    std::vector<Message> out;
    const auto add = [&](Lifeline from, Lifeline to, std::string label) {
        out.push_back({step, from, to, std::move(label), true});
    };
    const auto alert_status = [&](const std::string& alert) {
        for (int a = 0; a < model::kMaxAlerts; ++a)
            if (traces::alert_name(a) == alert) return traces::mdc_status_name(after.alerts[a].mdc);
        return std::string("?");
    };
    // MDC first (a sync closes the alert), then what learns of it, then incidents synced back.
    for (const auto& c : changes) {
        const Place p = place_of(c.path);
        if (p.group == "alerts" && p.field == "mdc_status" && main.to != Lifeline::Mdc)
            add(main.to, Lifeline::Mdc, fmt::format("sync: {} becomes {}", p.item, c.after));
    }
    for (const auto& c : changes) {
        const Place p = place_of(c.path);
        if (main.from == Lifeline::SubscriptionConnector) break;
        if (p.field == "subscription_connector_owes")
            add(Lifeline::Mdc, Lifeline::SubscriptionConnector,
                fmt::format("{} is {}: {}", p.item, alert_status(p.item), rows_phrase(c.after)));
        else if (p.field == "covered_by_subscription_connector" && c.after == "true")
            add(Lifeline::Subscriptions, Lifeline::SubscriptionConnector,
                fmt::format("the new-subscription policy covers {}", p.item));
    }
    for (const auto& c : changes) {
        const Place p = place_of(c.path);
        if (p.group != "incidents" || std::find(main.incidents.begin(), main.incidents.end(), p.item) != main.incidents.end())
            continue;
        const Lifeline from = p.item.rfind("Microsoft Defender XDR", 0) == 0 ? Lifeline::XdrConnector : main.to;
        add(from, Lifeline::SentinelIncidents,
            p.field.empty() ? fmt::format("the {} appears", p.item) : fmt::format("sync: the {} becomes {}", p.item, c.after));
    }
    // Anything else a step changed in a component its own arrow does not reach.
    for (const auto& c : changes) {
        const Place p = place_of(c.path);
        const Lifeline owner = owner_of(p);
        if (owner == main.from || owner == main.to || goes_with_status(p) || p.group == "incidents") continue;
        if (p.field == "mdc_status" || p.field == "subscription_connector_owes" || p.field == "covered_by_subscription_connector")
            continue;
        add(main.to, owner, describe_change(c));
    }
    return out;
}

std::string numbered(const Message& m) { return fmt::format("{}. {}", m.step, m.label); }

}  // namespace

std::string_view lifeline_name(Lifeline lifeline) {
    switch (lifeline) {
    case Lifeline::Subscriptions: return "Azure subscriptions";
    case Lifeline::Mdc: return "Defender for Cloud (MDC)";
    case Lifeline::SubscriptionConnector: return "Subscription connector";
    case Lifeline::TenantConnector: return "Tenant connector";
    case Lifeline::DefenderXdr: return "Defender XDR";
    case Lifeline::XdrConnector: return "XDR connector";
    case Lifeline::IncidentCreationRule: return "Incident creation rule";
    case Lifeline::TimeWindowRule: return "Time-window rule";
    case Lifeline::SecurityAlertTable: return "SecurityAlert table";
    case Lifeline::SentinelIncidents: return "Sentinel incidents";
    case Lifeline::AutomationRule: return "Automation rule";
    case Lifeline::Analyst: return "Analyst";
    }
    return "?";
}

Sequence sequence_of(const model::Config& config, const properties::Trace& trace) {
    Sequence seq;
    const auto steps = traces::numbered_steps(config, trace);
    seq.set_up = steps.front().substr(steps.front().find(' ') + 1);  // without "0. "
    seq.steps = static_cast<int>(trace.actions.size());
    std::array<bool, kLifelines> used{};
    for (std::size_t i = 0; i < trace.actions.size(); ++i) {
        const auto& before = trace.states[i];
        const auto& after = trace.states[i + 1];
        const int step = static_cast<int>(i) + 1;
        const Main main = main_message(before, trace.actions[i], after);
        seq.messages.push_back({step, main.from, main.to, main.label, false});
        for (auto& m : knock_ons(step, main, changed_fields(config, before, after), after)) seq.messages.push_back(std::move(m));
    }
    for (const auto& m : seq.messages) used[static_cast<std::size_t>(m.from)] = used[static_cast<std::size_t>(m.to)] = true;
    for (int l = 0; l < kLifelines; ++l)
        if (used[static_cast<std::size_t>(l)]) seq.participants.push_back(static_cast<Lifeline>(l));
    return seq;
}

std::string sequence_mermaid(const Sequence& seq) {
    std::string out = "sequenceDiagram\n";
    for (const Lifeline l : seq.participants)
        out += fmt::format("    participant {} as {}\n", id_of(l), mermaid_escape(lifeline_name(l)));
    if (!seq.participants.empty()) {
        const auto first = id_of(seq.participants.front());
        const auto last = id_of(seq.participants.back());
        out += fmt::format("    Note over {}{}: 0. {}\n", first, first == last ? "" : fmt::format(",{}", last),
                           mermaid_escape(seq.set_up));
    }
    for (const Message& m : seq.messages)
        out += fmt::format("    {}{}{}: {}\n", id_of(m.from), m.knock_on ? "-->>" : "->>", id_of(m.to), mermaid_escape(numbered(m)));
    return out;
}

// Lifelines as vertical chains of invisible points, one rank per arrow, so that arrows keep
// their order from top to bottom; the participants head the chains.
std::string sequence_dot(const Sequence& seq) {
    std::string out =
        "digraph trace {\n"
        "    graph [rankdir=TB, splines=line, nodesep=1.2, ranksep=0.3, fontname=\"Helvetica\", fontsize=12, labelloc=t, "
        "labeljust=l";
    out += fmt::format(", label=\"0. {}\"];\n", dot_escape(seq.set_up));
    out += "    node [fontname=\"Helvetica\", fontsize=11];\n";
    out += "    edge [fontname=\"Helvetica\", fontsize=10];\n";
    const std::size_t rows = seq.messages.size();
    for (const Lifeline l : seq.participants)
        out += fmt::format("    {} [label=\"{}\", shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\"];\n", id_of(l),
                           dot_escape(lifeline_name(l)));
    std::string header = "    { rank=same;";
    for (const Lifeline l : seq.participants) header += fmt::format(" {};", id_of(l));
    out += header + " }\n";
    for (std::size_t i = 0; i + 1 < seq.participants.size(); ++i)
        out += fmt::format("    {} -> {} [style=invis];\n", id_of(seq.participants[i]), id_of(seq.participants[i + 1]));
    for (std::size_t r = 1; r <= rows; ++r) {
        std::string rank = "    { rank=same;";
        for (const Lifeline l : seq.participants) {
            out += fmt::format("    {}_{} [shape=point, width=0.03, label=\"\"];\n", id_of(l), r);
            rank += fmt::format(" {}_{};", id_of(l), r);
        }
        out += rank + " }\n";
    }
    for (const Lifeline l : seq.participants) {
        std::string chain = fmt::format("    {}", id_of(l));
        for (std::size_t r = 1; r <= rows; ++r) chain += fmt::format(" -> {}_{}", id_of(l), r);
        out += chain + " [style=dashed, color=\"#888888\", arrowhead=none, weight=100];\n";
    }
    for (std::size_t r = 1; r <= rows; ++r)
        for (std::size_t i = 0; i + 1 < seq.participants.size(); ++i)
            out += fmt::format("    {}_{} -> {}_{} [style=invis];\n", id_of(seq.participants[i]), r,
                               id_of(seq.participants[i + 1]), r);
    for (std::size_t r = 1; r <= rows; ++r) {
        const Message& m = seq.messages[r - 1];
        const std::string label = dot_escape(numbered(m));
        out += fmt::format("    {}_{} -> {}_{} [label=\"{}\", constraint=false{}];\n", id_of(m.from), r, id_of(m.to), r, label,
                           m.knock_on ? ", style=dashed" : ", penwidth=1.5");
    }
    out += "}\n";
    return out;
}

std::string trace_mermaid(const model::Config& config, const properties::Trace& trace) {
    return sequence_mermaid(sequence_of(config, trace));
}
std::string trace_dot(const model::Config& config, const properties::Trace& trace) {
    return sequence_dot(sequence_of(config, trace));
}
std::string trace_svg(const model::Config& config, const properties::Trace& trace) {
    return sequence_svg(sequence_of(config, trace));
}

}  // namespace alertflow::pictures
