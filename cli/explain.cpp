// `alertflow explain`: one property's shortest counterexample told step by step, why it fails,
// and which single setting would change the outcome (each flip explored, never assumed).
#include <algorithm>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "cli/config_yaml.hpp"
#include "cli/matrix.hpp"
#include "cli/teach.hpp"
#include "cli/verdicts.hpp"

namespace alertflow::cli {

namespace {

using checker::Verdict;

// How a SOC engineer would say "set this knob to values[to]".
std::string knob_phrase(const Knob& k, int to) {
    const std::string_view on_off = to == 1 ? "on" : "off";
    if (k.name == "subscription_connector") return fmt::format("switching {} the subscription-based connector", on_off);
    if (k.name == "subscription_sync") return fmt::format("turning {} the subscription-based connector's bi-directional sync", on_off);
    if (k.name == "new_subscription_policy") return fmt::format("turning {} the new-subscription policy", on_off);
    if (k.name == "tenant_connector") return fmt::format("switching {} the tenant-based connector", on_off);
    if (k.name == "xdr_mdc_alerts")
        return fmt::format("setting Defender XDR's MDC alerts to {}", k.values[static_cast<std::size_t>(to)] == "none" ? "No alerts" : "All alerts");
    if (k.name == "xdr_connector") return fmt::format("switching {} the XDR connector", on_off);
    if (k.name == "incident_creation_rule") return fmt::format("switching {} the incident creation rule", on_off);
    if (k.name == "automation_close") return fmt::format("switching {} the automation rule that closes new incidents", on_off);
    return fmt::format("setting {} to {}", k.key, k.values[static_cast<std::size_t>(to)]);
}

struct FaultFlip {
    std::string_view name;
    bool model::FaultsConfig::*member;
    std::string_view what;
};
constexpr FaultFlip kFaultFlips[] = {
    {"tenant_duplicates", &model::FaultsConfig::tenant_duplicates, "the tenant-based connector delivering an alert once more"},
    {"xdr_incident_before_alert", &model::FaultsConfig::xdr_incident_before_alert, "the XDR incident reaching Sentinel before the alert's row"},
    {"xdr_correlation", &model::FaultsConfig::xdr_correlation, "Defender XDR correlating incidents already in Sentinel"},
    {"start_time_skew", &model::FaultsConfig::start_time_skew, "StartTime in the future or not UTC"},
};

std::string speaks_to_list(std::string_view speaks_to) {
    std::string out;
    for (char c : speaks_to) out += c == ' ' ? std::string(", ") : std::string(1, c);
    return out;
}

std::string property_paragraph(const properties::Property& p) {
    const bool invariant = p.kind == checker::PropertyKind::Invariant;
    return fmt::format("The property. {} is {}: {}. Its meaning: {}{}", p.id, invariant ? "an invariant" : "an eventually-property",
                       invariant ? "it must hold at every moment of every run"
                                 : "it must hold wherever a complete run ends (no connector, rule, sync or automation has anything left to do)",
                       p.meaning,
                       p.speaks_to.empty() ? "" : fmt::format(" It speaks to the report's behaviours {}.", speaks_to_list(p.speaks_to)));
}

}  // namespace

std::vector<Flip> single_flips(const model::Config& config) {
    std::vector<Flip> flips;
    for (const Knob& k : knobs()) {
        if (!k.applies(config)) continue;
        const int to = 1 - k.get(config);
        Flip f{std::string(k.name), knob_phrase(k, to), config};
        k.set(f.config, to);
        flips.push_back(std::move(f));
    }
    for (const FaultFlip& ff : kFaultFlips) {
        if (!(config.faults.*ff.member)) continue;
        Flip f{fmt::format("faults.{}", ff.name), fmt::format("switching off the fault {} ({})", ff.name, ff.what), config};
        f.config.faults.*ff.member = false;
        flips.push_back(std::move(f));
    }
    return flips;
}

Explanation explain(const model::Config& config, const properties::Property& property, const checker::Limits& limits,
                    unsigned threads, bool symmetry) {
    std::vector<const properties::Property*> chosen{&property};
    for (const auto& p : properties::catalog())
        if (&p != &property) chosen.push_back(&p);
    Explanation ex;
    ex.property = &property;
    const model::System system(config);
    checker::Options options;
    options.limits = limits;
    options.reductions.symmetry = symmetry;  // shortest counterexample: no partial-order reduction
    options.reductions.cutoff = true;        // one alert when alerts never meet: traces as short
    const properties::Result result = properties::verify(system, chosen, options);
    const auto& target = result.checks.front();
    ex.verdict = target.verdict;
    ex.note = target.note;
    ex.stats = result.stats;
    if (ex.verdict != Verdict::Violated) return ex;
    ex.trace = *target.trace;
    ex.steps = narrate(config, *ex.trace);
    ex.facts = breaking_facts(config, property, ex.trace->states.back());

    const std::vector<Flip> flips = single_flips(config);
    std::vector<model::Config> configs;
    for (const Flip& f : flips) configs.push_back(f.config);
    const std::vector<properties::Result> flipped = verify_each(configs, chosen, limits, threads, false, {symmetry, true, false, true});
    for (std::size_t i = 0; i < flips.size(); ++i) {
        FlipOutcome o{flips[i], flipped[i].checks.front().verdict, {}, flipped[i].stats.states};
        for (std::size_t j = 1; j < chosen.size(); ++j)
            if (result.checks[j].verdict == Verdict::Holds && flipped[i].checks[j].verdict == Verdict::Violated)
                o.newly_violated.push_back(std::string(chosen[j]->id));
        ex.flips.push_back(std::move(o));
    }
    return ex;
}

int run_explain(const ExplainRequest& request, std::ostream& out, std::ostream& err) {
    model::Config config;
    const properties::Property* property = nullptr;
    try {
        config = request.config_path ? load_config(*request.config_path) : model::recommended_config();
        if (request.property_id.empty()) throw ConfigError("--property: which property to explain? (`alertflow properties` lists them)");
        property = resolve_properties({request.property_id}).front();
    } catch (const std::runtime_error& e) {
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }
    const Explanation ex = explain(config, *property, request.limits, request.threads, request.symmetry);
    const std::string name = request.config_path.value_or("(bundled default: the report's recommended set-up)");
    fmt::print(out, "alertflow explain {} --property {}\n\n", name, property->id);
    fmt::print(out, "{}\n\n{}\n\n", property_paragraph(*property), setup_sentences(config));

    const bool invariant = property->kind == checker::PropertyKind::Invariant;
    const std::string explored = fmt::format("{} states{}", ex.stats.states,
                                             ex.stats.cutoff ? fmt::format("; one alert stands for all {}: without XDR correlation "
                                                                           "alerts never meet", config.scope.alerts)
                                                             : "");
    if (ex.verdict == Verdict::Holds) {
        fmt::print(out, "The verdict: holds. Every interleaving was explored ({}) and no run breaks it: {}.\n", explored,
                   invariant ? "it holds in every reachable state" : "it holds at the end of every complete run");
        return kAllHold;
    }
    if (ex.verdict == Verdict::Unknown) {
        fmt::print(out, "The verdict: unknown. The exploration stopped before a verdict ({}), and the states it did not reach could hide a run "
                        "that breaks it.\n", ex.note);
        return kIncomplete;
    }

    const std::size_t n = ex.trace->actions.size();
    fmt::print(out, "The verdict: violated. Exploring every interleaving ({}) found this shortest run that breaks it, {} step{}:\n\n",
               explored, n, n == 1 ? "" : "s");
    for (const std::string& line : ex.steps) fmt::print(out, "{}\n", line);

    const std::string when = n == 0 ? "right at the set-up" : fmt::format("after step {}", n);
    fmt::print(out, "\nWhy it fails. {} {}\n",
               invariant ? fmt::format("It must hold at every moment, and {} it does not.", when)
                         : fmt::format("The run ends {}: no connector, rule, sync or automation has anything left to do, so this is "
                                       "how it stays.", when),
               fmt::join(ex.facts, " "));

    fmt::print(out, "\nWhat would change the outcome. Each setting flipped on its own, and the model explored again on the flipped "
                    "configuration:\n");
    std::vector<std::string> still, undecided;
    bool repaired = false;
    for (const FlipOutcome& o : ex.flips) {
        if (o.verdict == Verdict::Violated) {
            still.push_back(o.flip.phrase);
            continue;
        }
        if (o.verdict == Verdict::Unknown) {
            undecided.push_back(o.flip.phrase);
            continue;
        }
        repaired = true;
        fmt::print(out, "  - {} makes {} hold ({} states explored); {}.\n", capitalised(o.flip.phrase), property->id, o.states,
                   o.newly_violated.empty() ? "nothing else that held breaks"
                                            : fmt::format("but then {}, which held, {} violated", and_list(o.newly_violated),
                                                          o.newly_violated.size() == 1 ? "is" : "are"));
    }
    if (!repaired)
        fmt::print(out, "  No single flip makes {} hold: it takes more than one change (`alertflow matrix --require {}` lists the "
                        "configurations where it holds).\n", property->id, property->id);
    if (!still.empty()) fmt::print(out, "  Flips that leave it violated: {}.\n", fmt::join(still, "; "));
    if (!undecided.empty()) fmt::print(out, "  Flips where a limit was hit before a verdict: {}.\n", fmt::join(undecided, "; "));
    if (!config.connectors.subscription.enabled)
        fmt::print(out, "  Not flipped: the subscription-based connector's sync and new-subscription policy change nothing while "
                        "it is off.\n");
    return kViolated;
}

}  // namespace alertflow::cli
