// Reductions keep verdicts exact: for every configuration of the knob space, symmetry
// reduction, partial-order reduction, both together and the cutoff give the same verdict for
// every property as the plain search, slicing (alone, with both, with all) for every property
// that leaves the rows alone, and every counterexample they find replays on the unreduced model
// to a violating state (for eventually-properties: the end of a complete run).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/config_yaml.hpp"
#include "cli/matrix.hpp"
#include "properties/verify.hpp"

namespace {

using namespace alertflow;
using checker::PropertyKind;
using checker::Reductions;
using checker::Verdict;

// No fair action is enabled: a complete run may end here.
bool run_may_end(const model::System& system, const model::State& s) {
    bool fair = false;
    system.for_each_successor(s, [&](const model::Action& a, const model::State&) { fair = fair || system.is_fair(a); });
    return !fair;
}

// One reduced exploration of the `chosen` properties against the plain one of the whole
// catalog: same verdicts, counterexamples that are runs.
void compare(const model::System& system, const properties::Result& plain, const properties::Result& reduced,
             const std::vector<const properties::Property*>& chosen, Reductions reductions) {
    const auto catalog = properties::whole_catalog();
    const bool all_violated = std::ranges::all_of(reduced.checks, [](const auto& c) { return c.verdict == Verdict::Violated; });
    BOOST_TEST_REQUIRE((reduced.stats.complete || all_violated));  // the search stops once every check is violated
    BOOST_TEST(reduced.stats.states <= plain.stats.states);
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const auto& r = reduced.checks[i];
        const auto& p = plain.checks[std::find(catalog.begin(), catalog.end(), chosen[i]) - catalog.begin()];
        BOOST_TEST((r.verdict == p.verdict), r.id << " differs under " << checker::to_string(reductions));
        if (!r.trace) continue;
        const auto end = checker::replay(system, r.trace->actions);
        BOOST_TEST_REQUIRE(end.has_value(), r.id);
        BOOST_TEST((*end == r.trace->states.back()), r.id);
        BOOST_TEST(!chosen[i]->holds(*end), r.id);
        if (chosen[i]->kind == PropertyKind::Eventually) BOOST_TEST(run_may_end(system, *end), r.id);
        // Symmetry and the cutoff keep counterexamples shortest; partial-order reduction may
        // lengthen them (not on the one alert of a cutoff: nothing to interleave), and so may
        // slicing for eventually-properties (the left-out row writers finish the run).
        const bool may_lengthen = (reductions.partial_order && !reduced.stats.cutoff) ||
                                  (reduced.stats.sliced && r.kind == PropertyKind::Eventually);
        if (may_lengthen) BOOST_TEST(r.trace->actions.size() >= p.trace->actions.size(), r.id);
        else BOOST_TEST(r.trace->actions.size() == p.trace->actions.size(), r.id);
    }
}

constexpr Reductions kinds[] = {{true, false},       {false, true},      {true, true},
                                {false, false, true}, {true, true, true}, {false, false, false, true},
                                {true, true, true, true}};
constexpr const char* kKindNames = "plain, symmetry, por, both, slicing, all three, cutoff, all four";

// The properties that leave the SecurityAlert rows alone: slicing needs every chosen one to.
std::vector<const properties::Property*> row_blind_properties() {
    std::vector<const properties::Property*> chosen;
    for (const properties::Property* p : properties::whole_catalog())
        if (!p->reads_rows()) chosen.push_back(p);
    return chosen;
}

// States each exploration stored, summed over the configurations (plain, then `kinds` in
// order), and how many configurations slicing and the cutoff applied to. Slicing checks the
// row-blind properties only (with every property chosen there is nothing to leave out).
struct Tally {
    std::array<std::uint64_t, std::size(kinds) + 1> states{};
    std::size_t sliced = 0, cut = 0;
    std::string text() const {
        return fmt::format("states ({}): {}; sliced in {} configurations, cut off in {}", kKindNames, fmt::join(states, ", "),
                           sliced, cut);
    }
};

// Checks configurations under every reduction.
Tally compare_on(const std::vector<model::Config>& configs) {
    const auto catalog = properties::whole_catalog();
    const auto row_blind = row_blind_properties();
    Tally tally;
    for (const model::Config& config : configs) {
        const model::System system(config);
        const auto plain = properties::verify(system, catalog, {});
        BOOST_TEST_REQUIRE(plain.stats.complete);
        tally.states[0] += plain.stats.states;
        for (std::size_t k = 0; k < std::size(kinds); ++k) {
            const auto& chosen = kinds[k].slicing ? row_blind : catalog;
            const auto reduced = properties::verify(system, chosen, {.limits = {}, .reductions = kinds[k]});
            tally.states[k + 1] += reduced.stats.states;
            if (kinds[k].slicing && !kinds[k].symmetry) tally.sliced += reduced.stats.sliced;
            if (kinds[k].cutoff && !kinds[k].symmetry) tally.cut += reduced.stats.cutoff;
            compare(system, plain, reduced, chosen, kinds[k]);
        }
    }
    return tally;
}

// Checks one knob sweep under every reduction; returns how many configurations were compared.
std::size_t compare_on_sweep(const std::string& scope, const std::string& faults) {
    const auto sweep = cli::expand_sweep(std::nullopt, scope, faults);
    const Tally tally = compare_on(sweep.configs);
    BOOST_TEST_MESSAGE(fmt::format("{} faults {}: {} configurations, {}", scope, faults, sweep.configs.size(), tally.text()));
    const bool several = sweep.configs.front().scope.alerts > 1;
    if (several) BOOST_TEST(tally.states[2] < tally.states[0]);  // one alert has nothing to interleave
    BOOST_TEST(tally.sliced > 0u);                                // the knob space has configurations without rules
    BOOST_TEST((tally.cut > 0u) == several);                      // and, at two alerts, ones without correlation
    return sweep.configs.size();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checker_reductions)

// The knob space has no reopen: an analyst reopening an alert, with correlation merging
// incidents and without it (the all-switches-on set-up itself is too large to explore plainly).
BOOST_AUTO_TEST_CASE(reductions_keep_every_verdict_with_reopen_at_two_alerts) {
    model::Config config = cli::load_config(ALERTFLOW_SOURCE_DIR "/bench/all_switches_on.yaml");
    config.scope = {1, 0, 2};
    config.connectors.tenant.enabled = false;
    config.rules.automation_close = config.rules.time_window = false;
    config.faults = {.xdr_correlation = true};
    model::Config uncorrelated = config;
    uncorrelated.faults.xdr_correlation = false;
    model::Config no_rule = config;  // nothing reads the rows: slicing applies
    no_rule.rules.incident_creation = false;
    no_rule.faults.xdr_incident_before_alert = true;  // else the XDR connector waits for the row
    const Tally tally = compare_on({config, uncorrelated, no_rule});
    BOOST_TEST_MESSAGE(fmt::format("reopen: {}", tally.text()));
    BOOST_TEST(tally.states[3] < tally.states[1]);
    BOOST_TEST(tally.sliced == 1u);
    BOOST_TEST(tally.cut == 1u);  // the uncorrelated one: correlation lets alerts meet
}

// SPIN's set-up (bench/spin_comparison.yaml): every connector and every fault at once, the
// automation rule, no incident creation rule, so slicing applies.
BOOST_AUTO_TEST_CASE(reductions_keep_every_verdict_on_the_spin_comparison_set_up_at_two_alerts) {
    model::Config config = cli::load_config(ALERTFLOW_SOURCE_DIR "/bench/spin_comparison.yaml");
    config.scope.alerts = 2;
    const Tally tally = compare_on({config});
    BOOST_TEST_MESSAGE(fmt::format("SPIN's set-up: {}", tally.text()));
    BOOST_TEST(tally.sliced == 1u);
    BOOST_TEST(tally.cut == 0u);  // every fault: correlation on
    BOOST_TEST(tally.states[4] < tally.states[0]);
}

BOOST_AUTO_TEST_CASE(reductions_keep_every_verdict_on_the_knob_space_at_two_alerts) {
    BOOST_TEST(compare_on_sweep("alerts=2", "none") == 160u);
}

BOOST_AUTO_TEST_CASE(reductions_keep_every_verdict_with_every_fault_at_one_alert_and_a_late_subscription) {
    BOOST_TEST(compare_on_sweep("alerts=1,subscriptions=2,late=1", "all") == 160u);
}

// Every fault at two alerts is 400 million states over the four searches: the faults are split
// between this case and the next, which together cover each fault at two alerts.
BOOST_AUTO_TEST_CASE(reductions_keep_every_verdict_with_early_xdr_incidents_and_start_time_skew_at_two_alerts) {
    BOOST_TEST(compare_on_sweep("alerts=2", "xdr_incident_before_alert,start_time_skew") == 160u);
}

BOOST_AUTO_TEST_CASE(reductions_keep_every_verdict_with_correlation_and_duplicates_at_two_alerts) {
    BOOST_TEST(compare_on_sweep("alerts=2", "xdr_correlation,tenant_duplicates") == 160u);
}

// The knob space syncs by alert id. Syncing by the sub connector's own rows makes the rules'
// incidents record which writer's row they came from, so representatives keep those writers:
// both connectors' rows interleaved, with every fault and the time-window rule at one alert
// (rows with wrong StartTimes), with duplicates at two.
BOOST_AUTO_TEST_CASE(reductions_keep_every_verdict_when_the_sub_connector_syncs_only_its_own_rows) {
    std::size_t compared = 0;
    for (const auto& [scope, faults, time_window] : {std::tuple{"alerts=1,subscriptions=2,late=1", "all", true},
                                                     std::tuple{"alerts=2", "tenant_duplicates", false}}) {
        std::vector<model::Config> configs;
        for (model::Config c : cli::expand_sweep(std::nullopt, scope, faults).configs) {
            if (!c.connectors.subscription.enabled || !c.connectors.tenant.enabled) continue;
            c.connectors.subscription.sync_scope = model::SyncScope::OwnRows;
            c.rules.time_window = c.rules.time_window || time_window;
            configs.push_back(c);
        }
        const Tally tally = compare_on(configs);
        BOOST_TEST_MESSAGE(fmt::format("own rows, {} faults {}: {} configurations, {}", scope, faults, configs.size(), tally.text()));
        compared += configs.size();
    }
    BOOST_TEST(compared > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
