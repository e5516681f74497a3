// The sweep, the diff and the connector comparison as scripts and readers see them: which
// configurations are enumerated, what --require keeps (from exploring, nothing hard-coded), the
// table's shapes, exit codes, and the comparison's cells with what backs them.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "cli/compare.hpp"
#include "cli/matrix.hpp"

namespace {

using namespace alertflow;
using namespace alertflow::cli;
using checker::Verdict;

std::string config(const std::string& name) { return std::string(ALERTFLOW_SOURCE_DIR) + "/configs/" + name; }

struct Run {
    int code;
    std::string out, err;
};

MatrixRequest matrix(std::vector<std::string> require = {}, MatrixFormat format = MatrixFormat::Json) {
    MatrixRequest r;
    r.require_ids = std::move(require);
    r.format = format;
    r.threads = 2;
    return r;
}

Run run(const MatrixRequest& request) {
    std::ostringstream out, err;
    const int code = run_matrix(request, out, err);
    return {code, out.str(), err.str()};
}

Run run(const DiffRequest& request) {
    std::ostringstream out, err;
    const int code = run_diff(request, out, err);
    return {code, out.str(), err.str()};
}

Run run_compare_with(const std::vector<std::string>& names) {
    std::ostringstream out, err;
    const int code = run_compare(names, out, err);
    return {code, out.str(), err.str()};
}

// A sweep file in the temporary directory, removed at the end of the test.
struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::string& text, const std::string& name = "sweep.yaml")
        : path(std::filesystem::temp_directory_path() / ("alertflow_test_matrix_" + std::to_string(getpid()) + "_" + name)) {
        std::ofstream(path) << text;
    }
    ~TempFile() { std::filesystem::remove(path); }
};

bool knob(const nlohmann::json& row, const char* name) { return row["knobs"][name] == true; }

// The report's recommendation, read through the knobs (the sweep enumerates sync and policy
// once while the subscription connector is off, whatever their value).
bool is_recommended(const nlohmann::json& row) {
    const model::Config recommended = model::recommended_config();
    return std::all_of(knobs().begin(), knobs().end(), [&](const Knob& k) {
        if (!k.applies(recommended)) return row["knobs"][std::string(k.name)].is_null();
        const std::string_view value = k.values[static_cast<std::size_t>(k.get(recommended))];
        const auto& cell = row["knobs"][std::string(k.name)];
        return cell.is_boolean() ? cell.get<bool>() == (value == "true") : cell == value;
    });
}

// Subscription-connector set-ups that rely on that connector alone for subscriptions created later.
bool sub_without_policy_alone(const nlohmann::json& row) {
    return knob(row, "subscription_connector") && !knob(row, "new_subscription_policy") && !knob(row, "tenant_connector");
}

std::string error_of(auto&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_matrix)

// ---------------------------------------------------------------- enumeration

BOOST_AUTO_TEST_CASE(the_sweep_enumerates_160_configurations_with_unused_subscription_knobs_once) {
    const Sweep sweep = expand_sweep(std::nullopt, std::nullopt, std::nullopt);
    BOOST_TEST(sweep.combinations == 256u);  // 8 two-valued knobs
    BOOST_TEST(sweep.unused_knobs_skipped == 96u);  // 32 with the sub connector off, times 3 sync/policy duplicates
    BOOST_TEST(sweep.configs.size() == 160u);  // 128 with the sub connector on, 32 with it off
    BOOST_TEST(sweep.identical_skipped == 0u);
    BOOST_TEST(sweep.varying_keys.empty());

    const Run r = run(matrix({}, MatrixFormat::Text));
    BOOST_TEST(r.code == kAllHold);
    BOOST_TEST(r.out.find("alertflow matrix: 160 configurations checked against 11 properties") == 0u);
    BOOST_TEST(r.out.find("change nothing while subscription_connector is off, so they are enumerated once then (96 "
                          "combinations skipped)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(subscription_sync_and_policy_change_nothing_while_the_subscription_connector_is_off) {
    // With a late subscription in scope, where the policy would matter if the connector were on.
    for (bool tenant : {false, true}) {
        std::vector<model::Config> variants;
        for (int bits = 0; bits < 4; ++bits) {
            model::Config c;
            c.scope = {2, 1, 1};
            c.connectors.subscription.enabled = false;
            c.connectors.subscription.bidirectional_sync = bits & 1;
            c.connectors.subscription.new_subscription_policy = bits & 2;
            c.connectors.tenant.enabled = tenant;
            c.connectors.xdr.enabled = true;
            c.rules.automation_close = true;
            variants.push_back(c);
        }
        const auto results = verify_each(variants, properties::whole_catalog(), {}, 2, false);
        for (const auto& r : results) {
            BOOST_TEST(r.stats.states == results[0].stats.states);
            BOOST_TEST(r.stats.transitions == results[0].stats.transitions);
            for (std::size_t i = 0; i < r.checks.size(); ++i) BOOST_TEST((r.checks[i].verdict == results[0].checks[i].verdict));
        }
    }
}

BOOST_AUTO_TEST_CASE(the_table_does_not_depend_on_the_number_of_threads) {
    MatrixRequest one = matrix(), two = matrix();
    one.threads = 1;
    two.threads = 3;
    one.scope = two.scope = "subscriptions=2,late=1";
    auto a = nlohmann::json::parse(run(one).out)["rows"], b = nlohmann::json::parse(run(two).out)["rows"];
    BOOST_REQUIRE(a.size() == 160u);
    for (auto* rows : {&a, &b})
        for (auto& row : *rows) row["stats"].erase("seconds");
    BOOST_TEST(a == b);
}

// ---------------------------------------------------------------- --require, from exploring

BOOST_AUTO_TEST_CASE(the_reports_recommendation_meets_exactly_one_incident_incident_has_alert_and_sentinel_close) {
    const Run r = run(matrix({"exactly-one-incident,incident-has-alert", "sentinel-close-reaches-mdc"}));
    BOOST_TEST(r.code == kAllHold);
    const auto doc = nlohmann::json::parse(r.out);
    BOOST_TEST(doc["require"].size() == 3u);
    const auto& rows = doc["rows"];
    BOOST_TEST(rows.size() == doc["qualifying"].get<std::size_t>());
    BOOST_TEST(std::any_of(rows.begin(), rows.end(), is_recommended));
    for (const auto& row : rows)
        for (const char* id : {"exactly-one-incident", "incident-has-alert", "sentinel-close-reaches-mdc"})
            BOOST_TEST(row["verdicts"][id] == "holds");
    // Simplest first: never more components switched on than the row after.
    for (std::size_t i = 1; i < rows.size(); ++i) BOOST_TEST(rows[i - 1]["components_on"] <= rows[i]["components_on"]);
    BOOST_TEST(rows[0]["components_on"] == 2);
}

BOOST_AUTO_TEST_CASE(a_late_subscription_drops_subscription_connector_setups_without_the_policy) {
    const MatrixRequest without = matrix({"exactly-one-incident,incident-has-alert,sentinel-close-reaches-mdc"});
    MatrixRequest with = without;
    with.scope = "subscriptions=2,late=1";
    with.require_ids.emplace_back("all-subscriptions-covered");

    const auto before = nlohmann::json::parse(run(without).out)["rows"];
    const Run r = run(with);
    BOOST_TEST(r.code == kAllHold);
    const auto after = nlohmann::json::parse(r.out)["rows"];
    // With one subscription they qualify; with a late one and coverage required they drop out.
    BOOST_TEST(std::count_if(before.begin(), before.end(), sub_without_policy_alone) > 0);
    BOOST_TEST(std::none_of(after.begin(), after.end(), sub_without_policy_alone));
    // The policy brings the subscription connector back; the recommendation stays.
    BOOST_TEST(std::any_of(after.begin(), after.end(), [](const auto& row) {
        return knob(row, "subscription_connector") && knob(row, "new_subscription_policy") && !knob(row, "tenant_connector");
    }));
    BOOST_TEST(std::any_of(after.begin(), after.end(), is_recommended));
}

BOOST_AUTO_TEST_CASE(when_no_configuration_qualifies_it_says_so_and_exits_1) {
    // XDR on "No alerts" and neither the subscription nor the XDR connector: nothing reaches Sentinel.
    const TempFile file("connectors:\n  subscription: {enabled: false}\n  xdr: {enabled: false}\nxdr: {mdc_alerts: none}\n");
    MatrixRequest request = matrix({"no-lost-alert"}, MatrixFormat::Text);
    request.sweep_path = file.path.string();
    const Run r = run(request);
    BOOST_TEST(r.code == kViolated);
    BOOST_TEST(r.out.find("alertflow matrix: 8 configurations checked") == 0u);
    BOOST_TEST(r.out.find("No configuration satisfies all of: no-lost-alert (8 checked).") != std::string::npos);
    BOOST_TEST(r.out.find("configuration\n") == std::string::npos);  // no table
}

BOOST_AUTO_TEST_CASE(a_limit_makes_verdicts_unknown_and_exits_3) {
    MatrixRequest request = matrix({}, MatrixFormat::Text);
    request.limits.max_states = 3;
    Run r = run(request);
    BOOST_TEST(r.code == kIncomplete);
    BOOST_TEST(r.out.find(" ? ") != std::string::npos);
    BOOST_TEST(r.err.find("unknown verdict") != std::string::npos);

    request.require_ids = {"no-lost-alert"};
    r = run(request);
    BOOST_TEST(r.code == kIncomplete);  // an undecided configuration might qualify
    BOOST_TEST(r.out.find("Undecided") != std::string::npos);
}

// ---------------------------------------------------------------- the sweep file

BOOST_AUTO_TEST_CASE(sweep_file_lists_mean_try_each_and_one_value_fixes_a_knob) {
    const TempFile file(
        "connectors:\n"
        "  subscription: {enabled: false}\n"
        "  tenant: {enabled: [true, false]}\n"
        "  xdr:\n"
        "    enabled: true\n"
        "rules:\n"
        "  incident_creation:\n"
        "    - false   # the report's advice\n"
        "    - true\n"
        "  automation_close: false\n"
        "xdr: {mdc_alerts: all}\n"
        "scope: {alerts: [1, 2]}\n");
    const Sweep sweep = expand_sweep(file.path.string(), std::nullopt, std::nullopt);
    BOOST_REQUIRE(sweep.configs.size() == 8u);
    BOOST_TEST(sweep.varying_keys == std::vector<std::string>{"scope.alerts"});
    // The file's lists in the order written, the first varying slowest.
    BOOST_TEST(describe_knobs(sweep.configs[0], sweep.varying_keys) == "tenant_connector, xdr_connector, scope.alerts=1");
    BOOST_TEST(describe_knobs(sweep.configs[1], sweep.varying_keys) == "tenant_connector, xdr_connector, scope.alerts=2");
    BOOST_TEST(describe_knobs(sweep.configs[2], sweep.varying_keys) ==
               "tenant_connector, xdr_connector, incident_creation_rule, scope.alerts=1");
    BOOST_TEST(describe_knobs(sweep.configs[7], sweep.varying_keys) == "xdr_connector, incident_creation_rule, scope.alerts=2");

    // --scope applies over the file's scope: the two alert counts become one.
    const Sweep narrowed = expand_sweep(file.path.string(), std::string("alerts=1"), std::string("xdr_correlation"));
    BOOST_TEST(narrowed.configs.size() == 4u);
    BOOST_TEST(narrowed.identical_skipped == 4u);
    BOOST_TEST(narrowed.configs[0].faults.xdr_correlation);
}

BOOST_AUTO_TEST_CASE(sweep_file_errors_come_from_the_configuration_loader_with_their_line_numbers) {
    const TempFile bad_value("connectors:\n  tenant:\n    enabled: [true, flase]\n", "bad_value.yaml");
    BOOST_TEST(error_of([&] { expand_sweep(bad_value.path.string(), std::nullopt, std::nullopt); }) ==
               bad_value.path.string() + ":3: connectors.tenant.enabled: expected true or false, got 'flase'");

    const TempFile bad_key("rules:\n  incident_creation:\n    - true\n    - false\n  automation_clsoe: true\n", "bad_key.yaml");
    BOOST_TEST(error_of([&] { expand_sweep(bad_key.path.string(), std::nullopt, std::nullopt); }) ==
               bad_key.path.string() + ":5: rules.automation_clsoe: unknown key (did you mean 'automation_close'?)");

    const TempFile empty("connectors: {tenant: {enabled: []}}\n", "empty.yaml");
    BOOST_TEST(error_of([&] { expand_sweep(empty.path.string(), std::nullopt, std::nullopt); }) ==
               empty.path.string() + ":1: connectors.tenant.enabled: an empty list: nothing to try");

    const TempFile range("scope: {subscriptions: [1, 2], late_subscriptions: 1}\n", "range.yaml");
    BOOST_TEST(error_of([&] { expand_sweep(range.path.string(), std::nullopt, std::nullopt); }) ==
               range.path.string() +
                   ":1: scope.late_subscriptions: 1 is out of range 0..0 (at least one subscription must exist when the "
                   "connectors are set up)");

    MatrixRequest request = matrix();
    request.sweep_path = "no/such/sweep.yaml";
    const Run r = run(request);
    BOOST_TEST(r.code == kBadInput);
    BOOST_TEST(r.err == "alertflow: no/such/sweep.yaml: cannot read file: No such file or directory\n");
}

// ---------------------------------------------------------------- output shapes

BOOST_AUTO_TEST_CASE(json_has_one_row_per_configuration_with_knobs_verdicts_and_config) {
    MatrixRequest request = matrix();
    request.property_ids = {"exactly-one-incident", "no-lost-alert"};
    const Run r = run(request);
    BOOST_TEST(r.code == kAllHold);
    const auto doc = nlohmann::json::parse(r.out);
    BOOST_TEST(doc["configurations_checked"] == 160);
    BOOST_TEST(doc["combinations_skipped"]["unused_knobs"] == 96);
    BOOST_TEST(doc["properties"] == nlohmann::json({"exactly-one-incident", "no-lost-alert"}));
    BOOST_TEST(doc["knobs"].size() == 8u);
    BOOST_TEST(!doc.contains("require"));
    BOOST_REQUIRE(doc["rows"].size() == 160u);
    const auto& first = doc["rows"][0];
    BOOST_TEST(first["index"] == 1);
    BOOST_TEST(first["configuration"] == "(nothing switched on)");
    BOOST_TEST(first["knobs"]["subscription_connector"] == false);
    BOOST_TEST(first["knobs"]["subscription_sync"].is_null());  // does not apply while the connector is off
    BOOST_TEST(first["knobs"]["xdr_mdc_alerts"] == "all");
    BOOST_TEST(first["verdicts"].size() == 2u);
    BOOST_TEST(first["verdicts"]["no-lost-alert"] == "violated");
    BOOST_TEST(first["config"]["connectors"]["subscription"]["enabled"] == false);
    BOOST_TEST(first["stats"]["states"] > 0);
}

BOOST_AUTO_TEST_CASE(csv_has_a_header_and_one_line_per_configuration) {
    MatrixRequest request = matrix({}, MatrixFormat::Csv);
    request.property_ids = {"exactly-one-incident"};
    const Run r = run(request);
    BOOST_TEST(r.code == kAllHold);
    std::istringstream lines(r.out);
    std::string header, line;
    std::getline(lines, header);
    BOOST_TEST(header ==
               "index,configuration,components_on,subscription_connector,subscription_sync,new_subscription_policy,"
               "tenant_connector,xdr_mdc_alerts,xdr_connector,incident_creation_rule,automation_close,states,exactly-one-incident");
    std::vector<std::string> rows;
    while (std::getline(lines, line)) rows.push_back(line);
    BOOST_REQUIRE(rows.size() == 160u);
    BOOST_TEST(rows[0].starts_with("1,(nothing switched on),0,false,,,false,all,false,false,false,"));
    BOOST_TEST(rows[0].ends_with(",violated"));
    // The recommended set-up: its description has a comma, so it is quoted.
    BOOST_TEST(std::count_if(rows.begin(), rows.end(), [](const std::string& l) {
                   return l.find(",\"tenant_connector, xdr_connector\",2,false,,,true,all,true,false,false,") != std::string::npos &&
                          l.ends_with(",holds");
               }) == 1);
}

BOOST_AUTO_TEST_CASE(markdown_is_a_table_with_a_column_per_property) {
    MatrixRequest request = matrix({"exactly-one-incident", "incident-has-alert", "sentinel-close-reaches-mdc"}, MatrixFormat::Markdown);
    request.property_ids = {"exactly-one-incident"};  // the required ones are added as columns
    const Run r = run(request);
    BOOST_TEST(r.code == kAllHold);
    BOOST_TEST(r.out.starts_with("**alertflow matrix**: 160 configurations checked against 3 properties."));
    BOOST_TEST(r.out.find("enumerated once then (96 combinations skipped)") != std::string::npos);
    BOOST_TEST(r.out.find("| # | configuration | on | exactly-one-incident | incident-has-alert | sentinel-close-reaches-mdc |\n"
                          "|---:|---|---:|:---:|:---:|:---:|\n") != std::string::npos);
    BOOST_TEST(r.out.find("| 21 | tenant_connector, xdr_connector | 2 | \u2713 | \u2713 | \u2713 |\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(text_rows_show_marks_and_the_configuration_in_knob_names) {
    const Run r = run(matrix({}, MatrixFormat::Text));
    BOOST_TEST(r.out.find("    #  on  1 2 3 4 5 6 7 8 9 10 11  configuration\n") != std::string::npos);
    BOOST_TEST(r.out.find("   21   2  \u2713 \u2713 \u2713 \u2713 \u2713 \u2713 \u2713 \u2713 \u2713  \u2713  \u2713  "
                          "tenant_connector, xdr_connector\n") != std::string::npos);
}

// ---------------------------------------------------------------- diff

BOOST_AUTO_TEST_CASE(a_diff_that_breaks_a_property_exits_1_with_the_counterexample_under_after) {
    DiffRequest request{config("default.yaml"), config("b12_xdr_connector_plus_rule.yaml"), {}, Format::Text, {}};
    const Run r = run(request);
    BOOST_TEST(r.code == kViolated);
    BOOST_TEST(r.out.find("  rules.incident_creation: false -> true\n") != std::string::npos);
    BOOST_TEST(r.out.find("  exactly-one-incident         holds    -> violated  broken\n") != std::string::npos);
    BOOST_TEST(r.out.find("exactly-one-incident: broken (holds before, violated after). Shortest counterexample under " +
                          config("b12_xdr_connector_plus_rule.yaml") + ", 5 step(s):") != std::string::npos);
    BOOST_TEST(r.out.find("5. incident creation rule creates the Azure Sentinel incident for A1") != std::string::npos);
    BOOST_TEST(r.out.find("Violating state:") != std::string::npos);
    BOOST_TEST(r.out.find("sentinel-close-reaches-mdc") == std::string::npos);  // unchanged: not listed

    request.format = Format::Json;
    request.property_ids = {"exactly-one-incident,no-lost-alert"};
    const auto doc = nlohmann::json::parse(run(request).out);
    BOOST_TEST(doc["properties"][0]["change"] == "broken");
    BOOST_TEST(doc["properties"][0]["trace"].size() == 6u);
    BOOST_TEST(doc["properties"][1]["change"] == "unchanged");
    BOOST_TEST(!doc["properties"][1].contains("trace"));
}

BOOST_AUTO_TEST_CASE(a_diff_that_repairs_exits_0) {
    const Run r = run(DiffRequest{config("b12_xdr_connector_plus_rule.yaml"), config("default.yaml"), {}, Format::Text, {}});
    BOOST_TEST(r.code == kAllHold);
    BOOST_TEST(r.out.find("  exactly-one-incident         violated -> holds     repaired\n") != std::string::npos);
    BOOST_TEST(r.out.find("counterexample") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_diff_with_unknown_verdicts_that_could_hide_a_break_exits_3) {
    DiffRequest request{config("default.yaml"), config("b12_xdr_connector_plus_rule.yaml"), {"exactly-one-incident"}, Format::Text, {}};
    request.limits.max_states = 4;
    const Run r = run(request);
    BOOST_TEST(r.code == kIncomplete);
    BOOST_TEST(r.out.find("unknown  -> unknown   undecided") != std::string::npos);
}

// ---------------------------------------------------------------- compare

BOOST_AUTO_TEST_CASE(compare_reads_each_cell_off_the_model) {
    const std::vector<CompareRow> rows = compare_connectors(2);
    const auto row = [&](const std::string& aspect) -> const CompareRow& {
        const auto it = std::find_if(rows.begin(), rows.end(), [&](const CompareRow& r) { return r.aspect == aspect; });
        BOOST_REQUIRE(it != rows.end());
        return *it;
    };
    const auto& sub = [&](const std::string& aspect) -> const CompareCell& { return row(aspect).cells[0]; };
    const auto& ten = [&](const std::string& aspect) -> const CompareCell& { return row(aspect).cells[1]; };

    BOOST_TEST(sub("bi-directional sync").answer.starts_with("yes"));
    BOOST_TEST(sub("bi-directional sync").evidence[0].backing == "sentinel-close-reaches-mdc");
    BOOST_TEST((sub("bi-directional sync").evidence[0].verdict == Verdict::Holds));
    BOOST_TEST(sub("bi-directional sync").evidence[0].configuration == "subscription_connector, subscription_sync, incident_creation_rule");
    BOOST_TEST(ten("bi-directional sync").answer == "no");
    BOOST_TEST(ten("bi-directional sync").evidence[0].backing == "sentinel-close-reaches-mdc");
    BOOST_TEST((ten("bi-directional sync").evidence[0].verdict == Verdict::Violated));

    BOOST_TEST(sub("scope of collection").answer == "no without new_subscription_policy, yes with it");
    BOOST_TEST(sub("scope of collection").evidence[0].configuration.ends_with("scope.subscriptions=2, scope.late_subscriptions=1"));
    BOOST_TEST(ten("scope of collection").answer.starts_with("yes"));

    BOOST_TEST(sub("dependence on the XDR setting").answer.starts_with("no"));
    BOOST_TEST(ten("dependence on the XDR setting").answer.starts_with("yes"));
    BOOST_TEST(ten("dependence on the XDR setting").evidence[0].configuration.find("xdr_mdc_alerts=none") != std::string::npos);

    BOOST_TEST(sub("link in the rows").answer == "portal.azure.com");
    BOOST_TEST(ten("link in the rows").answer == "security.microsoft.com");

    BOOST_TEST(sub("needs the incident creation rule").answer.starts_with("yes"));
    BOOST_TEST(ten("needs the incident creation rule").answer.starts_with("yes"));
    BOOST_TEST(sub("needs the incident creation rule").evidence[0].backing == "no-lost-alert");

    BOOST_TEST(sub("duplicates when both are on").answer == "yes: two rows per alert status, still exactly one incident");
    BOOST_TEST(sub("duplicates when both are on").evidence[0].backing == "no-duplicate-rows");
    BOOST_TEST(ten("duplicates when both are on").answer == sub("duplicates when both are on").answer);
}

BOOST_AUTO_TEST_CASE(compare_prints_each_cell_with_what_backs_it_in_either_order) {
    Run r = run_compare_with({"subscription", "tenant"});
    BOOST_TEST(r.code == kAllHold);
    BOOST_TEST(r.out.find("  subscription  yes with subscription_sync on, no with it off\n"
                          "      \u2713 sentinel-close-reaches-mdc: holds  at subscription_connector, subscription_sync, "
                          "incident_creation_rule\n") != std::string::npos);
    BOOST_TEST(r.out.find("| aspect | subscription | tenant |") != std::string::npos);
    BOOST_TEST(r.out.find("| bi-directional sync | yes with subscription_sync on, no with it off | no |") != std::string::npos);

    r = run_compare_with({"tenant", "subscription"});
    BOOST_TEST(r.code == kAllHold);
    BOOST_TEST(r.out.find("| bi-directional sync | no | yes with subscription_sync on, no with it off |") != std::string::npos);
}

// ---------------------------------------------------------------- bad input

BOOST_AUTO_TEST_CASE(bad_input_is_one_line_and_exits_2) {
    Run r = run(matrix({"exactly-one-incidnet"}));
    BOOST_TEST(r.code == kBadInput);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(r.err == "alertflow: --require exactly-one-incidnet: unknown property id; did you mean 'exactly-one-incident'? "
                        "(`alertflow properties` lists them)\n");

    MatrixRequest bad_scope = matrix();
    bad_scope.scope = "alerts=two";
    r = run(bad_scope);
    BOOST_TEST(r.code == kBadInput);
    BOOST_TEST(r.err == "alertflow: --scope alerts=two: alerts=two: expected a whole number\n");

    bad_scope.scope = "alert=2";
    BOOST_TEST(run(bad_scope).err ==
               "alertflow: --scope alert=2: unknown key 'alert' (did you mean 'alerts'?); valid keys: alerts, subscriptions, late\n");
    bad_scope.scope = "subscriptions=2,late=2";
    BOOST_TEST(run(bad_scope).err == "alertflow: --scope subscriptions=2,late=2: late=2 is out of range 0..1 (at least one "
                                     "subscription must exist when the connectors are set up)\n");
    bad_scope.scope = "alerts=7";
    BOOST_TEST(run(bad_scope).err ==
               "alertflow: --scope alerts=7: alerts=7 is out of range 1..6 (the state is a fixed-size value: at most 6 alerts)\n");

    MatrixRequest bad_faults = matrix();
    bad_faults.faults = "xdr_corelation";
    r = run(bad_faults);
    BOOST_TEST(r.code == kBadInput);
    BOOST_TEST(r.err.starts_with("alertflow: --faults xdr_corelation: unknown fault 'xdr_corelation' (did you mean 'xdr_correlation'?)"));

    MatrixRequest bad_property = matrix();
    bad_property.property_ids = {"no-lost-alerts"};
    BOOST_TEST(run(bad_property).err.starts_with("alertflow: --property no-lost-alerts: unknown property id; did you mean 'no-lost-alert'?"));

    r = run(DiffRequest{config("default.yaml"), "no/such.yaml", {}, Format::Text, {}});
    BOOST_TEST(r.code == kBadInput);
    BOOST_TEST(r.err == "alertflow: no/such.yaml: cannot read file: No such file or directory\n");
}

BOOST_AUTO_TEST_CASE(compare_accepts_only_the_two_mdc_connectors) {
    for (const std::vector<std::string>& names : std::vector<std::vector<std::string>>{
             {}, {"tenant"}, {"subscription", "xdr"}, {"tenant", "tenant"}, {"subscription", "tenant", "xdr"}, {"tenatn", "subscription"}}) {
        const Run r = run_compare_with(names);
        BOOST_TEST(r.code == kBadInput);
        BOOST_TEST(r.out.empty());
        BOOST_TEST(r.err.starts_with("alertflow: compare: "));
        BOOST_TEST(r.err.ends_with("usage: alertflow compare subscription tenant (in either order)\n"));
        BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    BOOST_TEST(run_compare_with({"tenatn", "subscription"}).err.find("unknown connector 'tenatn' (did you mean 'tenant'?)") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(scope_and_fault_option_strings) {
    const model::ScopeConfig scope = parse_scope("alerts=2, subscriptions=2,late=1", {});
    BOOST_TEST(scope.alerts == 2);
    BOOST_TEST(scope.subscriptions == 2);
    BOOST_TEST(scope.late_subscriptions == 1);
    BOOST_TEST(parse_scope("alerts=3", {4, 2, 1}).subscriptions == 4);  // keys left out keep the base's value
    BOOST_TEST(error_of([] { parse_scope("alerts", {}); }).starts_with("--scope alerts: 'alerts': expected KEY=NUMBER"));
    BOOST_TEST(error_of([] { parse_scope("alerts=1,alerts=2", {}); }) == "--scope alerts=1,alerts=2: 'alerts' given twice");

    BOOST_TEST((parse_faults("none") == model::FaultsConfig{}));
    const model::FaultsConfig all = parse_faults("all");
    BOOST_TEST((all.tenant_duplicates && all.xdr_incident_before_alert && all.xdr_correlation && all.start_time_skew));
    const model::FaultsConfig two = parse_faults("tenant_duplicates,xdr_correlation");
    BOOST_TEST((two.tenant_duplicates && two.xdr_correlation && !two.xdr_incident_before_alert && !two.start_time_skew));
    BOOST_TEST(error_of([] { parse_faults(""); }).starts_with("--faults '':"));
}

BOOST_AUTO_TEST_CASE(shared_property_lookup_words_its_errors_as_check_does) {
    BOOST_TEST(error_of([] { resolve_properties({"exactly-one-incidnet"}); }) ==
               "--property exactly-one-incidnet: unknown property id; did you mean 'exactly-one-incident'? "
               "(`alertflow properties` lists them)");
    BOOST_TEST(choose_properties({}).size() == properties::catalog().size());
    BOOST_TEST(resolve_properties({"no-lost-alert", "no-lost-alert"}).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
