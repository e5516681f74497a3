// The command line as scripts see it: exit codes, one-line errors, JSON shape.
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <signal.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"

namespace {

using namespace alertflow::cli;

std::string config(const std::string& name) { return std::string(ALERTFLOW_SOURCE_DIR) + "/configs/" + name; }

struct Run {
    int code;
    std::string out, err;
};

CheckRequest request(std::optional<std::string> config_path, std::vector<std::string> ids = {}) {
    CheckRequest r;
    r.config_path = std::move(config_path);
    r.property_ids = std::move(ids);
    return r;
}

Run check(CheckRequest request) {
    std::ostringstream out, err;
    request.progress = Progress::Never;
    const int code = run_check(request, out, err);
    return {code, out.str(), err.str()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_check)

BOOST_AUTO_TEST_CASE(bundled_default_holds_everything_and_exits_0) {
    const Run r = check(request(std::nullopt));
    BOOST_TEST(r.code == kAllHold);
    BOOST_TEST(r.out.find("11 hold, 0 violated, 0 unknown.") != std::string::npos);
    BOOST_TEST(r.err.empty());
}

BOOST_AUTO_TEST_CASE(a_violation_exits_1_and_prints_the_counterexample) {
    const Run r = check(request(config("b12_xdr_connector_plus_rule.yaml"), {"exactly-one-incident"}));
    BOOST_TEST(r.code == kViolated);
    BOOST_TEST(r.out.find("exactly-one-incident: violated. Shortest counterexample") != std::string::npos);
    BOOST_TEST(r.out.find("Violating state:") != std::string::npos);
    BOOST_TEST(r.out.find("Meaning: Every MDC alert") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_state_limit_exits_3_with_unknown_never_holds) {
    CheckRequest r0 = request(config("all_connectors.yaml"));
    r0.limits.max_states = 10;  // the first violation lies beyond 10 states (at 20, one is found: exit 1)
    const Run r = check(r0);
    BOOST_TEST(r.code == kIncomplete);
    BOOST_TEST(r.out.find("0 hold, 0 violated, 11 unknown.") != std::string::npos);
    BOOST_TEST(r.out.find("why unknown: state limit 10 reached") != std::string::npos);
    BOOST_TEST(r.err.find("exploration incomplete") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_violation_found_before_a_limit_still_exits_1) {
    CheckRequest r0 = request(config("b12_xdr_connector_plus_rule.yaml"), {"no-duplicate-incident", "incident-has-alert"});
    r0.limits.max_states = 45;  // b12 has 49 states; the duplicate shows up among the first 45
    const Run r = check(r0);
    BOOST_TEST(r.code == kViolated);
    BOOST_TEST(r.out.find("unknown") != std::string::npos);
}

// Ctrl-C as check sees it: one SIGINT while it explores, sent once its handler is in place
// (outside run_check the test ignores SIGINT). The search stops cleanly with no-lost-alert
// unknown and exit 3; a later run in the same process is not stopped by it.
BOOST_AUTO_TEST_CASE(ctrl_c_stops_the_run_it_interrupts_and_no_later_one) {
    const auto ignored = std::signal(SIGINT, SIG_IGN);
    std::atomic<bool> done{false};
    std::thread presser([&] {
        struct sigaction now {};
        while (!done && (sigaction(SIGINT, nullptr, &now) != 0 || now.sa_handler == SIG_IGN))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (!done) std::raise(SIGINT);
    });
    CheckRequest endless = request(std::string(ALERTFLOW_SOURCE_DIR) + "/bench/all_switches_on.yaml", {"no-lost-alert"});
    endless.limits.time_limit_seconds = 120;  // should Ctrl-C go unheard: a limit, not a hang
    const Run stopped = check(endless);
    done = true;
    presser.join();
    std::signal(SIGINT, ignored);
    BOOST_TEST(stopped.code == kIncomplete);
    BOOST_TEST(stopped.out.find("0 hold, 0 violated, 1 unknown.") != std::string::npos);
    BOOST_TEST(stopped.out.find("why unknown: interrupted") != std::string::npos);
    BOOST_TEST(stopped.err.find("exploration incomplete (interrupted)") != std::string::npos);
    const Run next = check(request(config("b12_xdr_connector_plus_rule.yaml"), {"exactly-one-incident"}));
    BOOST_TEST(next.code == kViolated);
}

BOOST_AUTO_TEST_CASE(unknown_property_id_is_one_line_with_a_suggestion_and_exits_2) {
    const Run r = check(request(std::nullopt, {"exactly-one-incidnet"}));
    BOOST_TEST(r.code == kBadInput);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(r.err == "alertflow: --property exactly-one-incidnet: unknown property id; did you mean "
                        "'exactly-one-incident'? (`alertflow properties` lists them)\n");
}

BOOST_AUTO_TEST_CASE(missing_configuration_file_exits_2_naming_the_file) {
    const Run r = check(request("no/such/file.yaml"));
    BOOST_TEST(r.code == kBadInput);
    BOOST_TEST(r.err == "alertflow: no/such/file.yaml: cannot read file: No such file or directory\n");
}

BOOST_AUTO_TEST_CASE(json_output_has_the_documented_shape) {
    CheckRequest r0 = request(config("b10_xdr_connector_only.yaml"), {"incident-has-alert", "no-lost-alert"});
    r0.format = Format::Json;
    const Run r = check(r0);
    BOOST_TEST(r.code == kViolated);
    const auto doc = nlohmann::json::parse(r.out);
    BOOST_TEST(doc["config"]["connectors"]["xdr"]["enabled"].get<bool>());
    for (const char* key : {"states", "transitions", "depth", "seconds"}) BOOST_TEST(doc["stats"].contains(key));
    BOOST_TEST(doc["properties"].size() == 2u);
    const auto& violated = doc["properties"][0];
    BOOST_TEST(violated["id"] == "incident-has-alert");
    BOOST_TEST(violated["kind"] == "eventually");
    BOOST_TEST(violated["verdict"] == "violated");
    BOOST_TEST(violated["trace"].size() >= 2u);
    const auto& step0 = violated["trace"][0];
    BOOST_TEST(step0["step"] == 0);
    for (const char* key : {"actor", "action", "state"}) BOOST_TEST(step0.contains(key));
    BOOST_TEST(doc["properties"][1]["verdict"] == "holds");
    BOOST_TEST(doc["properties"][1]["trace"].empty());
}

// B1 (no rule, no XDR connector): no-lost-alert reads no row and nothing else does, so the check
// runs on the slice without the row writers, says so, and the counterexample it prints is carried
// onto the full model (the sub connector's row is written at its end). --no-slicing keeps them.
BOOST_AUTO_TEST_CASE(a_check_that_reads_no_row_is_sliced_and_says_so) {
    CheckRequest r0 = request(config("b01_sub_connector_no_rule.yaml"), {"no-lost-alert"});
    const Run sliced = check(r0);
    BOOST_TEST(sliced.code == kViolated);
    BOOST_TEST(sliced.out.find("sliced: without the SecurityAlert rows' writers") != std::string::npos);
    BOOST_TEST(sliced.out.find("Counterexample (slicing: --no-slicing gives a shortest one)") != std::string::npos);
    BOOST_TEST(sliced.out.find("subscription connector forwards alert A1") != std::string::npos);
    r0.reductions.slicing = false;
    const Run whole = check(r0);
    BOOST_TEST(whole.code == kViolated);
    BOOST_TEST(whole.out.find("sliced:") == std::string::npos);
    r0.format = Format::Json;
    BOOST_TEST(!nlohmann::json::parse(check(r0).out)["stats"]["sliced"].get<bool>());
    r0.reductions.slicing = true;
    const auto doc = nlohmann::json::parse(check(r0).out);
    BOOST_TEST(doc["stats"]["sliced"].get<bool>());
    BOOST_TEST(doc["stats"]["state_bytes"].get<int>() > 0);
}

// B12 at three alerts: without XDR correlation the alerts never meet, so the check explores one
// alert, says so, and gives the verdicts and exit code of the search over all three;
// --no-cutoff explores them all. B13 (correlation) is never cut off.
BOOST_AUTO_TEST_CASE(alerts_that_never_meet_are_checked_on_one_and_the_output_says_so) {
    const auto path = std::filesystem::temp_directory_path() / ("alertflow_test_b12_three_alerts_" + std::to_string(getpid()) + ".yaml");
    std::ofstream(path) << std::ifstream(config("b12_xdr_connector_plus_rule.yaml")).rdbuf() << "scope: {alerts: 3}\n";
    CheckRequest r0 = request(path.string());
    const Run cut = check(r0);
    BOOST_TEST(cut.out.find("cutoff: one alert explored for all 3") != std::string::npos);
    r0.reductions.cutoff = false;
    const Run whole = check(r0);
    BOOST_TEST(whole.out.find("cutoff:") == std::string::npos);
    BOOST_TEST(cut.code == whole.code);
    BOOST_TEST(cut.code == kViolated);
    r0.format = Format::Json;
    const auto all = nlohmann::json::parse(check(r0).out);
    r0.reductions.cutoff = true;
    const auto one = nlohmann::json::parse(check(r0).out);
    BOOST_TEST(one["stats"]["cutoff"].get<bool>());
    BOOST_TEST(!all["stats"]["cutoff"].get<bool>());
    BOOST_TEST(one["stats"]["states"].get<std::uint64_t>() < all["stats"]["states"].get<std::uint64_t>());
    for (std::size_t i = 0; i < all["properties"].size(); ++i)
        BOOST_TEST(one["properties"][i]["verdict"] == all["properties"][i]["verdict"], all["properties"][i]["id"]);
    std::filesystem::remove(path);
    CheckRequest correlated = request(config("b13_xdr_correlation.yaml"));
    correlated.format = Format::Json;
    BOOST_TEST(!nlohmann::json::parse(check(correlated).out)["stats"]["cutoff"].get<bool>());
}

BOOST_AUTO_TEST_CASE(properties_lists_the_whole_catalog) {
    std::ostringstream out;
    BOOST_TEST(run_properties(Format::Json, out) == kAllHold);
    const auto list = nlohmann::json::parse(out.str());
    BOOST_TEST(list.size() == 11u);
    BOOST_TEST(list[1]["id"] == "no-lost-alert");
    BOOST_TEST(!list[1]["reads_rows"].get<bool>());
    BOOST_TEST(list[3]["reads_rows"].get<bool>());  // incident-has-alert
}

BOOST_AUTO_TEST_SUITE_END()
