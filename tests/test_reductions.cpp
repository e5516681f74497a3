// Reductions keep verdicts exact: for every configuration of the knob space, symmetry
// reduction gives the same verdict for every property as the plain search, and every
// counterexample it finds replays on the unreduced model to a violating state.
#include <boost/test/unit_test.hpp>

#include "cli/matrix.hpp"
#include "properties/verify.hpp"

namespace {

using namespace alertflow;
using checker::Verdict;

// Checks one knob sweep both ways; returns how many configurations were compared.
std::size_t compare_on_sweep(const std::string& scope, const std::string& faults) {
    const auto sweep = cli::expand_sweep(std::nullopt, scope, faults);
    const auto catalog = properties::whole_catalog();
    std::uint64_t plain_states = 0, reduced_states = 0;
    for (const model::Config& config : sweep.configs) {
        const model::System system(config);
        const auto plain = properties::verify(system, catalog, {});
        const auto reduced = properties::verify(system, catalog, {{}, nullptr, true});
        BOOST_TEST_REQUIRE(plain.stats.complete);
        BOOST_TEST_REQUIRE(reduced.stats.complete);
        BOOST_TEST(reduced.stats.states <= plain.stats.states);
        plain_states += plain.stats.states;
        reduced_states += reduced.stats.states;
        for (std::size_t i = 0; i < catalog.size(); ++i) {
            const auto& r = reduced.checks[i];
            BOOST_TEST((r.verdict == plain.checks[i].verdict), r.id << " differs under symmetry");
            if (!r.trace) continue;
            // The lifted trace is a real run of the unreduced model, as short as the plain one.
            const auto end = checker::replay(system, r.trace->actions);
            BOOST_TEST_REQUIRE(end.has_value(), r.id);
            BOOST_TEST((*end == r.trace->states.back()), r.id);
            BOOST_TEST(!catalog[i]->holds(*end), r.id);
            BOOST_TEST(r.trace->actions.size() == plain.checks[i].trace->actions.size(), r.id);
        }
    }
    BOOST_TEST_MESSAGE(scope << " faults " << faults << ": " << sweep.configs.size() << " configurations, " << plain_states
                             << " states plain, " << reduced_states << " with symmetry");
    return sweep.configs.size();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checker_reductions)

BOOST_AUTO_TEST_CASE(symmetry_keeps_every_verdict_on_the_knob_space_at_two_alerts) {
    BOOST_TEST(compare_on_sweep("alerts=2", "none") == 160u);
}

BOOST_AUTO_TEST_CASE(symmetry_keeps_every_verdict_with_every_fault_at_one_alert_and_a_late_subscription) {
    BOOST_TEST(compare_on_sweep("alerts=1,subscriptions=2,late=1", "all") == 160u);
}

BOOST_AUTO_TEST_CASE(symmetry_keeps_every_verdict_with_correlation_and_duplicates_at_two_alerts) {
    BOOST_TEST(compare_on_sweep("alerts=2", "xdr_correlation,tenant_duplicates") == 160u);
}

BOOST_AUTO_TEST_SUITE_END()
