// Reductions keep verdicts exact: for every configuration of the knob space, symmetry
// reduction, partial-order reduction and both together give the same verdict for every property
// as the plain search, and every counterexample they find replays on the unreduced model to a
// violating state (for eventually-properties: the end of a complete run).
#include <boost/test/unit_test.hpp>

#include <array>
#include <tuple>
#include <vector>

#include <fmt/format.h>

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

// One reduced exploration against the plain one: same verdicts, counterexamples that are runs.
void compare(const model::System& system, const properties::Result& plain, const properties::Result& reduced,
             Reductions reductions) {
    const auto catalog = properties::whole_catalog();
    BOOST_TEST_REQUIRE(reduced.stats.complete);
    BOOST_TEST(reduced.stats.states <= plain.stats.states);
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        const auto& r = reduced.checks[i];
        BOOST_TEST((r.verdict == plain.checks[i].verdict), r.id << " differs under " << checker::to_string(reductions));
        if (!r.trace) continue;
        const auto end = checker::replay(system, r.trace->actions);
        BOOST_TEST_REQUIRE(end.has_value(), r.id);
        BOOST_TEST((*end == r.trace->states.back()), r.id);
        BOOST_TEST(!catalog[i]->holds(*end), r.id);
        if (catalog[i]->kind == PropertyKind::Eventually) BOOST_TEST(run_may_end(system, *end), r.id);
        // Symmetry keeps counterexamples shortest; partial-order reduction may lengthen them.
        if (reductions.partial_order) BOOST_TEST(r.trace->actions.size() >= plain.checks[i].trace->actions.size(), r.id);
        else BOOST_TEST(r.trace->actions.size() == plain.checks[i].trace->actions.size(), r.id);
    }
}

constexpr Reductions kinds[] = {{true, false}, {false, true}, {true, true}};

// Checks configurations under every reduction; returns how many states each exploration stored
// (plain, symmetry, por, both) summed over them.
std::array<std::uint64_t, 4> compare_on(const std::vector<model::Config>& configs) {
    const auto catalog = properties::whole_catalog();
    std::array<std::uint64_t, 4> states{};
    for (const model::Config& config : configs) {
        const model::System system(config);
        const auto plain = properties::verify(system, catalog, {});
        BOOST_TEST_REQUIRE(plain.stats.complete);
        states[0] += plain.stats.states;
        for (int k = 0; k < 3; ++k) {
            const auto reduced = properties::verify(system, catalog, {.limits = {}, .reductions = kinds[k]});
            states[k + 1] += reduced.stats.states;
            compare(system, plain, reduced, kinds[k]);
        }
    }
    return states;
}

// Checks one knob sweep under every reduction; returns how many configurations were compared.
std::size_t compare_on_sweep(const std::string& scope, const std::string& faults) {
    const auto sweep = cli::expand_sweep(std::nullopt, scope, faults);
    const auto states = compare_on(sweep.configs);
    BOOST_TEST_MESSAGE(fmt::format("{} faults {}: {} configurations, states: {} plain, {} symmetry, {} por, {} both", scope,
                                   faults, sweep.configs.size(), states[0], states[1], states[2], states[3]));
    if (sweep.configs.front().scope.alerts > 1) BOOST_TEST(states[2] < states[0]);  // one alert has nothing to interleave
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
    const auto states = compare_on({config, uncorrelated});
    BOOST_TEST_MESSAGE(fmt::format("reopen: states: {} plain, {} symmetry, {} por, {} both", states[0], states[1], states[2],
                                   states[3]));
    BOOST_TEST(states[3] < states[1]);
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
        const auto states = compare_on(configs);
        BOOST_TEST_MESSAGE(fmt::format("own rows, {} faults {}: {} configurations, states: {} plain, {} symmetry, {} por, {} both",
                                       scope, faults, configs.size(), states[0], states[1], states[2], states[3]));
        compared += configs.size();
    }
    BOOST_TEST(compared > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
