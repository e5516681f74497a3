// Counterexamples in the domain's words: a golden trace, and the JSON form step by step.
#include <boost/test/unit_test.hpp>

#include "cli/config_yaml.hpp"
#include "properties/verify.hpp"
#include "traces/narrate.hpp"
#include "traces/trace.hpp"

namespace {

using namespace alertflow;

struct Found {
    model::Config config;
    properties::Trace trace;
};

Found shortest_counterexample(const std::string& config_name, std::string_view property) {
    const auto config = cli::load_config(std::string(ALERTFLOW_SOURCE_DIR) + "/configs/" + config_name);
    const model::System system(config);
    const auto result = properties::verify(system, {properties::find(property)});
    BOOST_TEST_REQUIRE(result.checks[0].trace.has_value());
    return {config, *result.checks[0].trace};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(traces_text)

BOOST_AUTO_TEST_CASE(tenant_connector_only_trace_reads_in_the_domains_words) {
    const Found f = shortest_counterexample("b06_tenant_all_alerts_rule.yaml", "sentinel-close-reaches-mdc");
    const std::vector<std::string> expected{
        "0. set-up: the connectors, rules and subscriptions are set up as configured",
        "1. Defender for Cloud raises alert A1 in subscription S1",
        "   changed: alerts.A1.history: added Active; alerts.A1.mdc_status: not raised -> Active; "
        "alerts.A1.subscription: added S1",
        "2. Defender XDR ingests alert A1 into an XDR incident",
        "   changed: alerts.A1.in_xdr: false -> true",
        "3. tenant connector delivers alert A1 as New: SecurityAlert row 1, link security.microsoft.com",
        "   changed: alerts.A1.security_alert_rows: added status: New; writer: tenant connector; "
        "link: security.microsoft.com; start_time_ok: true",
        "4. incident creation rule creates the Azure Sentinel incident for A1 (incident creation rule) from a row "
        "written by the tenant connector",
        "   changed: incidents[Azure Sentinel incident for A1]: added status: New; provider: Azure Sentinel; "
        "made_by: incident creation rule; alerts: A1",
        "5. analyst closes the Azure Sentinel incident for A1 (incident creation rule) in Sentinel",
        "   changed: incidents[Azure Sentinel incident for A1].status: New -> Closed",
        "Violating state:",
        "  subscription S1: exists",
        "  alert A1 (subscription S1): MDC Active; XDR has it; subscription connector owes 0 row(s)",
        "    SecurityAlert row 1 of A1: New by the tenant connector, link security.microsoft.com",
        "  the Azure Sentinel incident for A1 (incident creation rule): Closed",
        "Meaning: Closing a Sentinel incident eventually closes the MDC alerts it holds.",
    };
    const auto lines = traces::counterexample_lines(f.config, *properties::find("sentinel-close-reaches-mdc"), f.trace);
    BOOST_TEST(lines == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sync_knock_on_effects_are_named_in_the_step_that_causes_them) {
    // B3: closing the incident in Sentinel closes the MDC alert through the sub connector's sync.
    auto config = cli::load_config(std::string(ALERTFLOW_SOURCE_DIR) + "/configs/b03_sub_sync_closes_mdc.yaml");
    const model::System system(config);
    model::State s = system.initial_states()[0];
    const model::Action steps[] = {{model::ActionKind::RaiseAlert, 0, 0, 0},
                                   {model::ActionKind::ForwardBySubscriptionConnector, 0, 0, 0},
                                   {model::ActionKind::CreateIncidentByRule, 0, 0, 0}};
    for (const auto& a : steps) s = system.apply(s, a);
    const model::Action close{model::ActionKind::CloseInSentinel, 0, 0, 0};
    BOOST_TEST(traces::describe_step(s, close, system.apply(s, close)) ==
               "analyst closes the Azure Sentinel incident for A1 (incident creation rule) in Sentinel; "
               "MDC alert A1 becomes Resolved");
}

BOOST_AUTO_TEST_CASE(json_trace_has_the_full_state_at_every_step) {
    const Found f = shortest_counterexample("b10_xdr_connector_only.yaml", "incident-never-empty");
    const auto steps = traces::trace_json(f.config, f.trace);
    BOOST_TEST(steps.size() == f.trace.states.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        BOOST_TEST(steps[i]["step"] == i);
        BOOST_TEST(steps[i]["state"].contains("alerts"));
        BOOST_TEST(steps[i]["state"].contains("incidents"));
    }
    const auto& last = steps.back();
    BOOST_TEST(last["actor"] == "XDR connector");
    BOOST_TEST(last["state"]["incidents"][0]["provider"] == "Microsoft Defender XDR");
    BOOST_TEST(last["state"]["alerts"][0]["security_alert_rows"].empty());
}

BOOST_AUTO_TEST_SUITE_END()
