// `alertflow tour`: the field report's behaviours B1..B17, each shown on the model: its
// configuration, the run that shows it, a sequence diagram, and the catalog's word on it.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "cli/config_yaml.hpp"
#include "cli/teach.hpp"
#include "cli/verdicts.hpp"
#include "pictures/sequence.hpp"

namespace alertflow::cli {

namespace {

using checker::Verdict;
using model::Incident;
using model::IncidentOrigin;
using model::State;
using MdcStatus = model::mdc_alert::Status;
using IncidentStatus = model::sentinel_incident::Status;

constexpr int A1 = 0;
constexpr int A2 = 1;

int incidents_holding(const State& s, int alert) {
    int n = 0;
    for (int i = 0; i < s.incident_count; ++i) n += s.incidents[i].holds(alert);
    return n;
}

// Where every property that speaks to a behaviour holds, the tour shows the shortest run to the
// behaviour's characteristic situation instead (found as the counterexample of "never X").
struct Situation {
    std::string_view name;  // "" when the property's counterexample shows the behaviour
    bool (*reached)(const State&);
};

bool b02_one_incident(const State& s) { return s.alerts[A1].row_count > 0 && incidents_holding(s, A1) == 1; }

bool b03_sync_closed_mdc(const State& s) {
    const auto& a = s.alerts[A1];
    return s.incident_count == 1 && s.incidents[0].status == IncidentStatus::Closed && a.mdc == MdcStatus::Resolved &&
           a.row_count == 2 && a.row(1).writer == model::Writer::SubscriptionConnector && a.row(1).status == MdcStatus::Resolved;
}

bool b11_closed_both_ways(const State& s) {
    const auto& a = s.alerts[A1];
    return s.incident_count == 1 && s.incidents[0].origin == IncidentOrigin::XdrConnector &&
           s.incidents[0].status == IncidentStatus::Closed && a.mdc == MdcStatus::Resolved && a.row_count == 2 &&
           a.row(1).writer == model::Writer::TenantConnector && a.row(1).status == MdcStatus::Resolved;
}

bool b13_merged(const State& s) {
    int merged_open = 0, redirected = 0;
    for (int i = 0; i < s.incident_count; ++i) {
        const Incident& inc = s.incidents[i];
        merged_open += inc.holds(A1) && inc.holds(A2) && inc.open() && inc.origin == IncidentOrigin::XdrConnector;
        redirected += inc.redirected();
    }
    return merged_open == 1 && redirected == 2;
}

// The situation's run may need fewer choices than the file allows, so that the shortest run to it
// shows the behaviour rather than a shortcut (B11: an analyst who closes in MDC reaches "alert
// Resolved, incident Closed" without any sync).
struct Narrowing {
    std::string_view why;
    void (*apply)(model::Config&);
};

void analysts_close_only_in_sentinel(model::Config& c) {
    c.analysts.close_in_mdc = false;
    c.analysts.close_in_xdr = false;
}

struct Behaviour {
    std::string_view prefix;    // the configuration file: configs/<prefix>*.yaml
    std::string_view observed;  // what the report saw (DOMAIN.md)
    std::string_view property;  // the catalog property that speaks to it most directly
    Situation situation;
    Narrowing narrowing;
};

// B1..B17, in order.
constexpr Behaviour kBehaviours[] = {
    {"b01_", "Subscription-based connector, no rule: the alert becomes a SecurityAlert row, and no incident.", "no-lost-alert", {}, {}},
    {"b02_", "Subscription-based connector + incident creation rule: exactly one incident per alert.", "exactly-one-incident",
     {"alert A1 held by its one incident", b02_one_incident}, {}},
    {"b03_", "Subscription-based connector, sync on: closing the Sentinel incident writes a new row with the new status, and the "
             "MDC alert gets closed.", "sentinel-close-reaches-mdc",
     {"the incident closed in Sentinel, alert A1 Resolved in Defender for Cloud, and the subscription-based connector's Resolved row "
      "written", b03_sync_closed_mdc},
     {"the analysts close only in Sentinel here, so the close can reach Defender for Cloud only through the bi-directional sync",
      analysts_close_only_in_sentinel}},
    {"b04_", "Subscription-based connector, sync on or off: closing the MDC alert writes a new Resolved/Dismissed row, and the "
             "Sentinel incident stays as it was.", "mdc-close-reaches-sentinel", {}, {}},
    {"b05_", "Subscription-based connector, sync off: closing the Sentinel incident writes no row and leaves the MDC alert open.",
     "sentinel-close-reaches-mdc", {}, {}},
    {"b06_", "Tenant-based connector + XDR \"All alerts\" + rule: one incident per alert; MDC changes appear as new rows; incident "
             "changes are not synced back.", "sentinel-close-reaches-mdc", {}, {}},
    {"b07_", "Tenant-based connector + XDR \"No alerts\": no rows at all, hence no incident.", "all-subscriptions-covered", {}, {}},
    {"b08_", "Both MDC connectors + rule: two copies of each alert in SecurityAlert, still one incident, made from the "
             "subscription-based connector's earlier row.", "no-duplicate-rows", {}, {}},
    {"b09_", "The subscription-based connector covers only the subscriptions it was enabled for: an alert in a subscription "
             "created later is never forwarded.", "all-subscriptions-covered", {}, {}},
    {"b10_", "XDR connector, no MDC connector, XDR \"All alerts\": an incident with no underlying alert (empty).", "incident-has-alert", {}, {}},
    {"b11_", "XDR connector + tenant-based connector: the incident has its alert; closing on either side closes the other, and the "
             "MDC alert.", "sentinel-close-reaches-mdc",
     {"the XDR incident closed in Sentinel, alert A1 Resolved in Defender for Cloud, and the tenant-based connector's row saying so",
      b11_closed_both_ways},
     {"the analysts close only in Sentinel here, so the close can reach Defender for Cloud only through the XDR connector's sync",
      analysts_close_only_in_sentinel}},
    {"b12_", "XDR connector + incident creation rule: two incidents for one alert, providers \"Microsoft Defender XDR\" and "
             "\"Azure Sentinel\".", "no-duplicate-incident", {}, {}},
    {"b13_", "XDR correlation of incidents already in Sentinel: a new incident holding all their alerts; the old ones closed and "
             "tagged \"Redirected\".", "exactly-one-incident",
     {"a merged open incident holding A1 and A2, beside the two old incidents tagged Redirected", b13_merged}, {}},
    {"b14_", "The XDR incident can reach Sentinel before its alert row: the incident is empty for a while.", "incident-never-empty", {}, {}},
    {"b15_", "The tenant-based connector sometimes forwards the same alert several times; the rule still makes one incident.",
     "no-duplicate-rows", {}, {}},
    {"b16_", "Rows carry a portal.azure.com link from the subscription-based connector, a security.microsoft.com link from the "
             "tenant-based connector.", "no-duplicate-rows", {}, {}},
    {"b17_", "MDC alerts sometimes carry a StartTime in the future, and the subscription-based connector sometimes writes one that "
             "is not UTC: a custom rule on StartTime > ago(1h) and StartTime < now() misses the alert.", "time-window-rule-sees-alert", {}, {}},
};
constexpr int kCount = static_cast<int>(std::size(kBehaviours));

// "B12", "b12", "12" -> 12; 0 when it is none of B1..B17.
int behaviour_number(std::string_view text) {
    if (!text.empty() && (text.front() == 'B' || text.front() == 'b')) text.remove_prefix(1);
    int n = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || n < 1 || n > kCount) return 0;
    return n;
}

std::string find_config(const std::string& dir, std::string_view prefix) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw ConfigError(fmt::format("--configs {}: not a folder", dir));
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string file = entry.path().filename().string();
        if (file.starts_with(prefix) && file.ends_with(".yaml")) found.push_back(entry.path().string());
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) throw ConfigError(fmt::format("--configs {}: no {}*.yaml in it", dir, prefix));
    return found.front();
}

std::string lowered_first(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

TourStop make_stop(int number, const Behaviour& b, const std::string& configs_dir) {
    TourStop stop;
    stop.id = fmt::format("B{}", number);
    stop.behaviour = std::string(b.observed);
    stop.config_path = find_config(configs_dir, b.prefix);
    stop.config = load_config(stop.config_path);
    stop.property = properties::find(b.property);
    if (!stop.property) throw ConfigError(fmt::format("{}: the catalog has no property {}", stop.id, b.property));

    const bool invariant = stop.property->kind == checker::PropertyKind::Invariant;
    stop.meaning = fmt::format("{} ({}): {}", stop.property->id, properties::kind_name(stop.property->kind), stop.property->meaning);
    const properties::Result result = checker::explore(model::System(stop.config), {properties::to_check(*stop.property)});
    const auto& verdict = result.checks.front();
    stop.verdict = verdict.verdict;
    stop.run_config = stop.config;

    if (verdict.verdict == Verdict::Violated) {
        stop.run = *verdict.trace;
        const auto facts = breaking_facts(stop.config, *stop.property, stop.run.states.back());
        stop.verdict_sentence = fmt::format("Under this configuration it is violated: the run above is its shortest counterexample, "
                                            "and it ends where {}.", facts.empty() ? "it fails" : lowered_first(facts.front()));
    } else if (b.situation.reached) {
        if (b.narrowing.apply) {
            b.narrowing.apply(stop.run_config);
            stop.narrowing = std::string(b.narrowing.why);
        }
        const checker::Check<State> never{std::string(b.situation.name), checker::PropertyKind::Invariant,
                                          [reached = b.situation.reached](const State& s) { return !reached(s); }};
        const properties::Result reach = checker::explore(model::System(stop.run_config), {never});
        if (reach.checks.front().trace) {
            stop.situation = std::string(b.situation.name);
            stop.run = *reach.checks.front().trace;
        }
        stop.verdict_sentence = fmt::format(
            "Under this configuration it {} ({} states explored); the run above is the shortest that reaches {}.",
            verdict.verdict == Verdict::Holds ? (invariant ? "holds in every reachable state" : "holds at the end of every complete run")
                                              : "could not be decided",
            result.stats.states, b.situation.name);
    }
    if (stop.run.actions.empty())
        stop.verdict_sentence = fmt::format("Under this configuration it is {}, and no run shows the behaviour: the model no longer "
                                            "reproduces it.", verdict_name(verdict.verdict));
    if (!stop.run.actions.empty()) {
        stop.steps = narrate(stop.run_config, stop.run);
        stop.mermaid = pictures::trace_mermaid(stop.run_config, stop.run);
    }
    return stop;
}

void print_stop(const TourStop& stop, TourFormat format, std::ostream& out) {
    const std::string run_name = stop.situation.empty()
                                     ? fmt::format("the shortest counterexample of {}", stop.property->id)
                                     : fmt::format("the shortest run that reaches {}", stop.situation);
    const std::size_t n = stop.run.actions.size();
    const std::string narrowed = stop.narrowing.empty() ? "" : "; " + stop.narrowing;
    if (format == TourFormat::Markdown) {
        fmt::print(out, "## {}. {}\n\n", stop.id, stop.behaviour);
        fmt::print(out, "**Configuration:** `{}`. {}\n\n", stop.config_path, setup_sentences(stop.config));
        fmt::print(out, "**The run** ({}, {} step{}){}:\n\n", run_name, n, n == 1 ? "" : "s", narrowed);
        for (const std::string& line : stop.steps) fmt::print(out, "- {}\n", line);
        if (!stop.mermaid.empty()) fmt::print(out, "\n```mermaid\n{}{}```\n", stop.mermaid, stop.mermaid.ends_with('\n') ? "" : "\n");
        fmt::print(out, "\n**Explanation.** {} {}\n\n", stop.meaning, stop.verdict_sentence);
        return;
    }
    fmt::print(out, "==== {}. {}\n\n", stop.id, stop.behaviour);
    fmt::print(out, "Configuration: {}\n{}\n\n", stop.config_path, setup_sentences(stop.config));
    fmt::print(out, "The run ({}, {} step{}){}:\n", run_name, n, n == 1 ? "" : "s", narrowed);
    for (const std::string& line : stop.steps) fmt::print(out, "  {}\n", line);
    if (!stop.mermaid.empty()) {
        fmt::print(out, "\nDiagram (Mermaid, paste into any Mermaid viewer):\n");
        std::size_t start = 0;
        while (start < stop.mermaid.size()) {
            const std::size_t end = std::min(stop.mermaid.find('\n', start), stop.mermaid.size());
            fmt::print(out, "    {}\n", std::string_view(stop.mermaid).substr(start, end - start));
            start = end + 1;
        }
    }
    fmt::print(out, "\nExplanation. {} {}\n\n", stop.meaning, stop.verdict_sentence);
}

}  // namespace

std::string default_configs_dir() {
#if defined(ALERTFLOW_CONFIGS_DIR)
    return ALERTFLOW_CONFIGS_DIR;
#elif defined(ALERTFLOW_SOURCE_DIR)
    return std::string(ALERTFLOW_SOURCE_DIR) + "/configs";
#else
    return "configs";
#endif
}

std::vector<TourStop> tour_stops(const std::string& configs_dir, const std::optional<std::string>& only) {
    int first = 1, last = kCount;
    if (only) {
        const int n = behaviour_number(*only);
        if (n == 0) throw ConfigError(fmt::format("--only {}: unknown behaviour; the tour has B1..B{}", *only, kCount));
        first = last = n;
    }
    std::vector<TourStop> stops;
    for (int n = first; n <= last; ++n) stops.push_back(make_stop(n, kBehaviours[n - 1], configs_dir));
    return stops;
}

int run_tour(const TourRequest& request, std::ostream& out, std::ostream& err) {
    std::vector<TourStop> stops;
    try {
        stops = tour_stops(request.configs_dir, request.only);
    } catch (const std::runtime_error& e) {
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }
    const std::string title = stops.size() == 1 ? fmt::format("behaviour {} of the field report, shown on the model", stops.front().id)
                                                : fmt::format("the field report's behaviours B1..B{}, each shown on the model", kCount);
    if (request.format == TourFormat::Markdown) fmt::print(out, "# alertflow tour: {}\n\n", title);
    else fmt::print(out, "alertflow tour: {}\n\n", title);
    int missing = 0;
    for (const TourStop& stop : stops) {
        print_stop(stop, request.format, out);
        missing += stop.run.actions.empty();
    }
    if (missing > 0) {
        fmt::print(err, "alertflow: {} behaviour(s) without a run: the model no longer shows them\n", missing);
        return kViolated;
    }
    return kAllHold;
}

}  // namespace alertflow::cli
