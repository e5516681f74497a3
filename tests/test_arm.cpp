// Reading a Sentinel deployment (ARM template, REST list export, bare array) into a Config: the
// examples in configs/arm/, the mapping rules, the notes, and the one-line errors (golden strings:
// the message IS the interface).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/arm_import.hpp"
#include "cli/config_yaml.hpp"

namespace {

namespace fs = std::filesystem;
using alertflow::cli::ArmReading;
using alertflow::cli::ConfigError;
using alertflow::cli::describe_reading;
using alertflow::cli::read_arm;
using alertflow::cli::read_arm_text;
using alertflow::cli::to_json;
using alertflow::model::Config;
using nlohmann::json;

const fs::path kArm = fs::path(ALERTFLOW_SOURCE_DIR) / "configs" / "arm";
const std::string kConnectors = "Microsoft.SecurityInsights/dataConnectors";
const std::string kAlertRules = "Microsoft.SecurityInsights/alertRules";
const std::string kAutomationRules = "Microsoft.SecurityInsights/automationRules";
const std::string kTenantName = "MicrosoftDefenderForCloudTenantBased";

// ---- Resources, built as JSON so each test states only what it is about.

json resource(const std::string& type, const std::string& name, const std::string& kind, json properties) {
    json r = {{"type", type}, {"name", name}, {"properties", std::move(properties)}};
    if (!kind.empty()) r["kind"] = kind;
    return r;
}

// state "": no dataTypes at all (the ARM template form).
json asc(const std::string& name, const std::string& subscription, const std::string& state = "Enabled") {
    json r = resource(kConnectors, name, "AzureSecurityCenter", {{"subscriptionId", subscription}});
    if (!state.empty()) r["properties"]["dataTypes"]["alerts"]["state"] = state;
    return r;
}

json tenant(const std::string& name = kTenantName, const std::string& kind = "MicrosoftDefenderForCloudTenantBased") {
    return resource(kConnectors, name, kind, json::object());
}

json xdr(const std::string& name, const std::string& state = "Enabled") {
    return resource(kConnectors, name, "MicrosoftThreatProtection",
                    {{"tenantId", "t1"}, {"dataTypes", {{"incidents", {{"state", state}}}}}});
}

json mdc_rule(const std::string& name, bool enabled = true, const std::string& product = "Azure Security Center") {
    return resource(kAlertRules, name, "MicrosoftSecurityIncidentCreation",
                    {{"displayName", name}, {"enabled", enabled}, {"productFilter", product}});
}

json automation(const std::string& name, bool enabled = true, const std::string& on = "Incidents",
                const std::string& status = "Closed") {
    return resource(kAutomationRules, name, "",
                    {{"displayName", name},
                     {"order", 1},
                     {"triggeringLogic", {{"isEnabled", enabled}, {"triggersOn", on}, {"triggersWhen", "Created"}}},
                     {"actions", json::array({{{"order", 1},
                                               {"actionType", "ModifyProperties"},
                                               {"actionConfiguration", {{"status", status}}}}})}});
}

std::string arm(const std::vector<json>& resources) {
    return json{{"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
                {"contentVersion", "1.0.0.0"},
                {"resources", resources}}
        .dump(2);
}

ArmReading read(const std::string& text, const Config& base = Config{}) { return read_arm_text(text, "t.json", base); }

std::string error_of(const std::string& text, const Config& base = Config{}) {
    try {
        read(text, base);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

std::string label(const std::string& type, const std::string& name) { return "resource '" + type + "' '" + name + "'"; }

bool has(const std::vector<std::string>& lines, std::string_view line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

bool any_contains(const std::vector<std::string>& lines, std::string_view fragment) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(fragment) != std::string::npos; });
}

// Whole-config comparison through the YAML keys: a failure prints both sides.
void check_config(const Config& read, const Config& expected) {
    BOOST_TEST(to_json(read).dump() == to_json(expected).dump());
    BOOST_TEST((read == expected));
}

std::vector<fs::path> arm_examples() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(kArm))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// A file in a directory of its own, removed at the end of the test.
struct TempFile {
    fs::path dir = fs::temp_directory_path() / ("alertflow_arm_" + std::to_string(::getpid()));
    fs::path path;
    TempFile(const std::string& name, const std::string& text) : path(dir / name) {
        fs::create_directories(dir);
        std::ofstream(path) << text;
    }
    ~TempFile() { fs::remove_all(dir); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(arm_import)

// ---- configs/arm/: each example reads to exactly the configuration it describes

BOOST_AUTO_TEST_CASE(recommended_reads_as_the_recommended_set_up) {
    const ArmReading r = read_arm((kArm / "recommended.json").string(), std::nullopt);
    check_config(r.config, alertflow::model::recommended_config());
    BOOST_TEST(r.recognised.size() == 2U);
    BOOST_TEST(r.ignored.size() == 3U);  // the workspace, the Sentinel solution, a scheduled rule
    BOOST_TEST(any_contains(r.ignored, "'Microsoft.OperationalInsights/workspaces' '[parameters('workspaceName')]': "
                                       "not a resource the model reads (it reads only dataConnectors, alertRules, automationRules)"));
    BOOST_TEST(any_contains(r.ignored, ": kind 'Scheduled' is not modelled (of alertRules the model reads kind "
                                       "MicrosoftSecurityIncidentCreation)"));
    BOOST_TEST(any_contains(r.notes, "the tenant-based connector's ARM kind is not publicly specified; recognised by its "
                                     "name MicrosoftDefenderForCloudTenantBased, whatever its kind "
                                     "(here: 'MicrosoftDefenderForCloudTenantBased')"));
    BOOST_TEST(any_contains(r.notes, "defaults, not in the template: "));
    BOOST_TEST(any_contains(r.notes, "xdr.mdc_alerts: all"));
}

BOOST_AUTO_TEST_CASE(recommended_with_the_no_alerts_overlay) {
    const ArmReading r = read_arm((kArm / "recommended.json").string(), (kArm / "overlay_no_alerts.yaml").string());
    Config expected = alertflow::model::recommended_config();
    expected.xdr.mdc_alerts = alertflow::model::XdrMdcAlerts::None;
    expected.scope.alerts = 1;
    check_config(r.config, expected);
    const std::string overlay = (kArm / "overlay_no_alerts.yaml").string();
    BOOST_TEST(has(r.notes, "xdr.mdc_alerts: none (from overlay " + overlay + ")"));
    BOOST_TEST(has(r.notes, "scope.alerts: 1 (from overlay " + overlay + ")"));
    BOOST_TEST(!any_contains(r.notes, "overrides"));  // the overlay sets nothing the template decides
}

BOOST_AUTO_TEST_CASE(legacy_subscription_with_rule_is_b2_over_two_subscriptions) {
    const ArmReading r = read_arm((kArm / "legacy_subscription_with_rule.json").string(), std::nullopt);
    Config expected;
    expected.connectors.subscription.enabled = true;
    expected.connectors.subscription.uncovered_subscriptions = 0;
    expected.connectors.tenant.enabled = false;
    expected.connectors.xdr.enabled = false;
    expected.rules.incident_creation = true;
    expected.rules.automation_close = false;
    expected.scope.subscriptions = 2;
    check_config(r.config, expected);
    BOOST_TEST(r.recognised.size() == 3U);
    BOOST_TEST(r.ignored.empty());
    BOOST_TEST(any_contains(r.notes, ": severity filters are not modelled: this rule makes incidents only for Low, Medium, "
                                     "High alerts; an alert outside the filter (Informational) would make no incident"));
    BOOST_TEST(any_contains(r.recognised, "Microsoft incident creation rule for Defender for Cloud (the built-in template), enabled"));
    BOOST_TEST(has(r.notes, "scope.subscriptions: 2 (from the file: raised from 1 so that the 2 subscriptions the file "
                            "names exist at set-up; scope.late_subscriptions 0 kept)"));
}

BOOST_AUTO_TEST_CASE(xdr_plus_rule_duplicates_is_exactly_b12) {
    const ArmReading r = read_arm((kArm / "xdr_plus_rule_duplicates.json").string(), std::nullopt);
    check_config(r.config, alertflow::cli::load_config((fs::path(ALERTFLOW_SOURCE_DIR) / "configs" /
                                                        "b12_xdr_connector_plus_rule.yaml").string()));
    BOOST_TEST(any_contains(r.notes, "subscriptionId [subscription().subscriptionId] is an ARM expression, not evaluated"));
}

BOOST_AUTO_TEST_CASE(both_connectors_autoclose_is_b8_without_the_timing) {
    const ArmReading r = read_arm((kArm / "both_connectors_autoclose.json").string(), std::nullopt);
    Config expected;
    expected.connectors.subscription.enabled = true;
    expected.connectors.tenant.enabled = true;
    expected.connectors.xdr.enabled = false;
    expected.rules.incident_creation = true;
    expected.rules.automation_close = true;
    check_config(r.config, expected);  // timing stays any-order: no template expresses it
    BOOST_TEST(any_contains(r.notes, ": conditions are not modelled (IncidentTitle Contains brute force): in reality they narrow which "
                                     "incidents it closes; the model takes it to close every new incident"));
    BOOST_TEST(!any_contains(r.notes, "severity filters"));  // all four severities: nothing is filtered
    BOOST_TEST(any_contains(r.notes, "defaults, not in the template: "));
    BOOST_TEST(any_contains(r.notes, "timing: any-order"));
}

BOOST_AUTO_TEST_CASE(rest_export_reads_the_list) {
    const ArmReading r = read_arm((kArm / "rest_export.json").string(), std::nullopt);
    Config expected;
    expected.connectors.subscription.enabled = true;
    expected.connectors.tenant.enabled = false;
    expected.connectors.xdr.enabled = true;
    expected.rules.incident_creation = false;
    check_config(r.config, expected);
    BOOST_TEST(has(r.recognised, label(kConnectors, "763f9fa1-c2d3-4fa2-93e9-bccd4899aa12") +
                                     ": subscription-based MDC connector for subscription "
                                     "'c0688291-89d7-4bed-87a2-a7b1bff43f4c', alerts Enabled"));
    BOOST_TEST(has(r.recognised, label(kConnectors, "8207e1f9-a793-4869-afb1-5ad4540d66d1") +
                                     ": Defender XDR connector, incidents Enabled"));
    BOOST_TEST(any_contains(r.notes, "rest_export.json: read as a REST list export"));
}

BOOST_AUTO_TEST_CASE(every_example_reads_and_describes_itself) {
    const std::vector<fs::path> files = arm_examples();
    BOOST_TEST(files.size() >= 5U);
    for (const fs::path& file : files) {
        BOOST_TEST_CONTEXT(file.filename().string()) {
            BOOST_CHECK_NO_THROW(read_arm(file.string(), std::nullopt));
            std::ifstream in(file);
            const json document = json::parse(in);
            BOOST_TEST(document.at("metadata").at("description").get<std::string>().size() > 20U);
        }
    }
}

// ---- File shapes and resource forms

BOOST_AUTO_TEST_CASE(template_rest_list_and_bare_array_read_the_same) {
    const std::vector<json> resources = {asc("asc1", "s1"), xdr("xdr1")};
    const Config from_template = read(arm(resources)).config;
    check_config(read(json{{"value", resources}}.dump()).config, from_template);
    check_config(read(json(resources).dump()).config, from_template);
    BOOST_TEST(from_template.connectors.xdr.enabled);
}

BOOST_AUTO_TEST_CASE(type_matches_on_its_last_segment_case_insensitively) {
    json provider_form = asc("ws/Microsoft.SecurityInsights/asc1", "s1");
    provider_form["type"] = "microsoft.operationalinsights/workspaces/providers/DATACONNECTORS";
    const ArmReading r = read(arm({provider_form, tenant("ws/Microsoft.SecurityInsights/" + kTenantName, "")}));
    BOOST_TEST(r.config.connectors.subscription.enabled);
    BOOST_TEST(r.config.connectors.tenant.enabled);
    BOOST_TEST(r.ignored.empty());
}

BOOST_AUTO_TEST_CASE(the_tenant_connector_is_known_by_its_name_whatever_its_kind) {
    for (const std::string& name : {kTenantName, "ws/Microsoft.SecurityInsights/" + kTenantName,
                                    "[concat(parameters('ws'), '/Microsoft.SecurityInsights/" + kTenantName + "')]",
                                    "[format('{0}/Microsoft.SecurityInsights/" + kTenantName + "', parameters('ws'))]"}) {
        BOOST_TEST_CONTEXT(name) {
            const ArmReading r = read(arm({tenant(name, "MicrosoftThreatProtection")}));
            BOOST_TEST(r.config.connectors.tenant.enabled);
            BOOST_TEST(!r.config.connectors.xdr.enabled);  // the name wins over the kind
            BOOST_TEST(any_contains(r.notes, "(here: 'MicrosoftThreatProtection')"));
        }
    }
}

BOOST_AUTO_TEST_CASE(json_comments_and_symbolic_resource_names_are_accepted) {
    // ARM templates may hold comments; languageVersion 2.0 names resources by symbol in an object.
    const std::string text = "{\n// the workspace's connectors\n\"languageVersion\": \"2.0\",\n\"resources\": {\"tenant\": " +
                             tenant().dump() + ", /* XDR */ \"xdr\": " + xdr("xdr1").dump() + "}}";
    const ArmReading r = read(text);
    BOOST_TEST(r.config.connectors.tenant.enabled);
    BOOST_TEST(r.config.connectors.xdr.enabled);
}

BOOST_AUTO_TEST_CASE(nested_deployments_and_child_resources_are_read) {
    json deployment = resource("Microsoft.Resources/deployments", "sentinel", "",
                               {{"mode", "Incremental"}, {"template", {{"resources", json::array({xdr("xdr1")})}}}});
    json workspace = resource("Microsoft.OperationalInsights/workspaces", "ws", "", json::object());
    workspace["resources"] = json::array({tenant()});
    const ArmReading r = read(arm({deployment, workspace}));
    BOOST_TEST(r.config.connectors.xdr.enabled);
    BOOST_TEST(r.config.connectors.tenant.enabled);
    BOOST_TEST(has(r.ignored, label("Microsoft.Resources/deployments", "sentinel") +
                                  ": nested deployment: the resources of its template are read in their own right"));
}

BOOST_AUTO_TEST_CASE(deployment_conditions_and_copy_loops) {
    json off = tenant();
    off["condition"] = false;
    json maybe = xdr("xdr1");
    maybe["condition"] = "[parameters('withXdr')]";
    maybe["copy"] = {{"name", "loop"}, {"count", 2}};
    const ArmReading r = read(arm({off, maybe}));
    BOOST_TEST(!r.config.connectors.tenant.enabled);
    BOOST_TEST(r.config.connectors.xdr.enabled);
    BOOST_TEST(has(r.ignored, label(kConnectors, kTenantName) + ": its condition is false: not deployed"));
    BOOST_TEST(has(r.notes, label(kConnectors, "xdr1") +
                                ": deployed only if [parameters('withXdr')], which is not evaluated: read as deployed"));
    BOOST_TEST(has(r.notes, label(kConnectors, "xdr1") + ": its copy loop is not evaluated: read as one resource"));
}

// ---- The subscription-based connector and the scope

BOOST_AUTO_TEST_CASE(a_missing_data_type_means_enabled) {
    const ArmReading r = read(arm({asc("asc1", "s1", "")}));
    BOOST_TEST(r.config.connectors.subscription.enabled);
    BOOST_TEST(has(r.recognised, label(kConnectors, "asc1") + ": subscription-based MDC connector for subscription 's1', "
                                                               "alerts Enabled (no state given: taken as Enabled)"));
}

BOOST_AUTO_TEST_CASE(without_an_enabled_asc_connector_the_subscription_connector_is_off) {
    BOOST_TEST(!read(arm({})).config.connectors.subscription.enabled);
    const Config disabled = read(arm({asc("asc1", "s1", "Disabled")})).config;
    BOOST_TEST(!disabled.connectors.subscription.enabled);
    BOOST_TEST(disabled.connectors.subscription.uncovered_subscriptions == 0);
}

BOOST_AUTO_TEST_CASE(more_subscriptions_than_the_scope_raise_it_keeping_late_ones) {
    Config base;
    base.scope.subscriptions = 2;
    base.scope.late_subscriptions = 1;
    const ArmReading r = read(arm({asc("a1", "s1"), asc("a2", "s2"), asc("a3", "s3")}), base);
    BOOST_TEST(r.config.scope.subscriptions == 4);
    BOOST_TEST(r.config.scope.late_subscriptions == 1);
    BOOST_TEST(r.config.connectors.subscription.uncovered_subscriptions == 0);
    BOOST_TEST(has(r.notes, "scope.subscriptions: 4 (from the file: raised from 2 so that the 3 subscriptions the file names "
                            "exist at set-up; scope.late_subscriptions 1 kept); this overrides 2 set in the base configuration"));
}

BOOST_AUTO_TEST_CASE(fewer_subscriptions_than_the_scope_leave_some_uncovered) {
    Config base;
    base.scope.subscriptions = 3;
    const ArmReading r = read(arm({asc("a1", "s1")}), base);
    BOOST_TEST(r.config.scope.subscriptions == 3);
    BOOST_TEST(r.config.connectors.subscription.uncovered_subscriptions == 2);
    BOOST_TEST(has(r.notes, "connectors.subscription.uncovered_subscriptions: 2 (from the file: of the 3 subscription(s) "
                            "existing at set-up, the connector is enabled for 1)"));
}

BOOST_AUTO_TEST_CASE(a_disabled_connector_names_a_subscription_left_uncovered) {
    const Config c = read(arm({asc("a1", "s1"), asc("a2", "s2", "Disabled")})).config;
    BOOST_TEST(c.scope.subscriptions == 2);
    BOOST_TEST(c.connectors.subscription.enabled);
    BOOST_TEST(c.connectors.subscription.uncovered_subscriptions == 1);
}

BOOST_AUTO_TEST_CASE(subscription_expressions_are_opaque_text) {
    const Config two = read(arm({asc("a1", "[subscription().subscriptionId]"), asc("a2", "[parameters('other')]")})).config;
    BOOST_TEST(two.scope.subscriptions == 2);
    BOOST_TEST(error_of(arm({asc("a1", "[subscription().subscriptionId]"), asc("a2", "[subscription().subscriptionId]")})) ==
               "t.json: " + label(kConnectors, "a2") + ": properties.subscriptionId: subscription "
               "'[subscription().subscriptionId]' already has an AzureSecurityCenter connector (" + label(kConnectors, "a1") + ")");
}

// ---- Rules

BOOST_AUTO_TEST_CASE(an_incident_creation_rule_for_another_product_is_ignored) {
    const ArmReading r = read(arm({mdc_rule("mcas", true, "Microsoft Cloud App Security")}));
    BOOST_TEST(!r.config.rules.incident_creation);
    BOOST_TEST(has(r.ignored, label(kAlertRules, "mcas") + ": Microsoft incident creation rule for 'Microsoft Cloud App "
                                                           "Security', not for Defender for Cloud ('Azure Security Center'): "
                                                           "only the MDC rule is modelled"));
}

BOOST_AUTO_TEST_CASE(only_an_enabled_mdc_rule_turns_incident_creation_on) {
    BOOST_TEST(!read(arm({mdc_rule("r1", false)})).config.rules.incident_creation);
    BOOST_TEST(read(arm({mdc_rule("r1", false), mdc_rule("r2", true)})).config.rules.incident_creation);
    BOOST_TEST(has(read(arm({mdc_rule("r1", false)})).notes,
                   "rules.incident_creation: false (from the file: 1 MDC incident creation rule(s) in the file, 0 enabled)"));
}

BOOST_AUTO_TEST_CASE(automation_rules_count_only_when_they_close_new_incidents) {
    BOOST_TEST(read(arm({automation("close")})).config.rules.automation_close);
    BOOST_TEST(!read(arm({automation("close", false)})).config.rules.automation_close);
    const ArmReading on_alerts = read(arm({automation("alerts", true, "Alerts")}));
    BOOST_TEST(!on_alerts.config.rules.automation_close);
    BOOST_TEST(has(on_alerts.ignored, label(kAutomationRules, "alerts") +
                                          ": automation rule triggered on Alerts Created: only a rule that closes "
                                          "incidents when they are created is modelled"));
    const ArmReading activate = read(arm({automation("activate", true, "Incidents", "Active")}));
    BOOST_TEST(!activate.config.rules.automation_close);
    BOOST_TEST(any_contains(activate.ignored, "does not close the incident"));
}

// ---- Notes: the overlay, the defaults, the description

BOOST_AUTO_TEST_CASE(the_template_overrides_the_overlay_and_says_so) {
    const TempFile overlay("o.yaml",
                           "connectors:\n  tenant: {enabled: false}\n  subscription: {enabled: false}\n"
                           "rules: {incident_creation: true}\nxdr: {mdc_alerts: none}\n");
    const std::string source = "overlay " + overlay.path.string();
    const ArmReading r = read_arm((kArm / "recommended.json").string(), overlay.path.string());
    check_config(r.config, [] {
        Config c = alertflow::model::recommended_config();
        c.xdr.mdc_alerts = alertflow::model::XdrMdcAlerts::None;
        return c;
    }());
    BOOST_TEST(any_contains(r.notes, "; this overrides false set in " + source));
    BOOST_TEST(has(r.notes, "rules.incident_creation: false (from the file: no MDC incident creation rule(s) in the file); "
                            "this overrides true set in " + source));
    // The overlay agreed with the template on the subscription connector: no override to report.
    BOOST_TEST(has(r.notes, "connectors.subscription.enabled: false (from the file: no AzureSecurityCenter connector(s) in "
                            "the file)"));
    BOOST_TEST(has(r.notes, "xdr.mdc_alerts: none (from " + source + ")"));
    BOOST_TEST(any_contains(r.notes, "defaults, not in the template: "));
    BOOST_TEST(any_contains(r.notes, "analysts.close_in_mdc: true"));
}

BOOST_AUTO_TEST_CASE(the_description_lists_recognised_then_ignored_then_notes) {
    const ArmReading r = read(arm({tenant(), resource("Microsoft.Insights/actionGroups", "ag", "", json::object())}));
    const std::vector<std::string> lines = describe_reading(r);
    BOOST_TEST(lines.size() == 1U + 1U + r.notes.size());
    BOOST_TEST(lines.at(0).starts_with("recognised: " + label(kConnectors, kTenantName) + ": tenant-based MDC connector"));
    BOOST_TEST(lines.at(1).starts_with("ignored: resource 'Microsoft.Insights/actionGroups' 'ag': not a resource"));
    BOOST_TEST(std::all_of(lines.begin() + 2, lines.end(), [](const std::string& l) { return l.starts_with("note: "); }));
}

// ---- Bad input: one line naming the file and the resource; never a half-read configuration

BOOST_AUTO_TEST_CASE(not_json_names_the_line) {
    BOOST_TEST(error_of("{\n  \"resources\": [\n    {\"type\": tru}\n  ]\n}") ==
               "t.json:3: not valid JSON: syntax error while parsing value - invalid literal; last read: '\"type\": tru}'");
    BOOST_TEST(error_of("{\n  \"value\": [],\n}\n") ==
               "t.json:3: not valid JSON: syntax error while parsing object key - unexpected '}'; expected string literal");
    BOOST_TEST(error_of("") == "t.json:1: not valid JSON: syntax error while parsing value - unexpected end of input; "
                               "expected '[', '{', or a literal");
}

BOOST_AUTO_TEST_CASE(a_file_of_the_wrong_shape_is_refused) {
    BOOST_TEST(error_of(R"({"$schema": "x", "contentVersion": "1.0.0.0"})") ==
               "t.json: expected an ARM template (\"resources\": [...]), a REST list export (\"value\": [...]) or an array "
               "of resources, got an object with neither \"resources\" nor \"value\"");
    BOOST_TEST(error_of(asc("asc1", "s1").dump()) ==
               "t.json: expected an ARM template (\"resources\": [...]), a REST list export (\"value\": [...]) or an array "
               "of resources, got an object with neither \"resources\" nor \"value\" (one resource? put it in [ ])");
    BOOST_TEST(error_of("\"text\"") ==
               "t.json: expected an ARM template (\"resources\": [...]), a REST list export (\"value\": [...]) or an array "
               "of resources, got a string");
    BOOST_TEST(error_of(R"({"resources": 3})") == "t.json: resources: expected an array of resources, got a number");
    BOOST_TEST(error_of(R"({"value": ["asc1"]})") == "t.json: resource at value[0]: expected a resource object, got a string");
    BOOST_TEST(error_of(R"({"value": [], "nextLink": "https://management.azure.com/next"})") ==
               "t.json: nextLink: the list continues on another page: merge every page's value into one file");
}

BOOST_AUTO_TEST_CASE(a_resource_without_a_type_is_refused) {
    BOOST_TEST(error_of(R"({"resources": [{"name": "asc1", "kind": "AzureSecurityCenter"}]})") ==
               "t.json: resource 'asc1' at resources[0]: type: missing (every resource has one)");
    BOOST_TEST(error_of(R"([{"type": 7}])") == "t.json: resource at [0]: type: expected a string");
}

BOOST_AUTO_TEST_CASE(a_property_of_the_wrong_json_type_is_refused) {
    json bad = asc("asc1", "s1");
    bad["properties"]["subscriptionId"] = 42;
    BOOST_TEST(error_of(arm({bad})) ==
               "t.json: resource 'Microsoft.SecurityInsights/dataConnectors' 'asc1': properties.subscriptionId: expected a string");
    bad["properties"] = "none";
    BOOST_TEST(error_of(arm({bad})) == "t.json: " + label(kConnectors, "asc1") + ": properties: expected an object");
    json rule = mdc_rule("r1");
    rule["properties"]["enabled"] = "yes";
    BOOST_TEST(error_of(arm({rule})) == "t.json: " + label(kAlertRules, "r1") + ": properties.enabled: expected true or false");
    json closing = automation("a1");
    closing["properties"]["actions"][0]["actionType"] = 1;
    BOOST_TEST(error_of(arm({closing})) ==
               "t.json: " + label(kAutomationRules, "a1") + ": properties.actions[0].actionType: expected a string");
    json no_kind = xdr("xdr1");
    no_kind.erase("kind");
    BOOST_TEST(error_of(arm({no_kind})) ==
               "t.json: " + label(kConnectors, "xdr1") + ": kind: missing (the kind says what the resource is)");
}

BOOST_AUTO_TEST_CASE(contradicting_resources_are_refused) {
    const std::string second_tenant = "ws/Microsoft.SecurityInsights/" + kTenantName;
    BOOST_TEST(error_of(arm({tenant(), asc("asc1", "s1"), tenant(second_tenant)})) ==
               "t.json: " + label(kConnectors, second_tenant) + ": a second tenant-based MDC connector (the first is " +
                   label(kConnectors, kTenantName) + "): a workspace has one");
    BOOST_TEST(error_of(arm({xdr("x1"), xdr("x2", "Disabled")})) ==
               "t.json: " + label(kConnectors, "x2") + ": a second Defender XDR connector (the first is " +
                   label(kConnectors, "x1") + "): a workspace has one");
    BOOST_TEST(error_of(arm({asc("a1", "S1"), asc("a2", "s1", "Disabled")})) ==
               "t.json: " + label(kConnectors, "a2") + ": properties.subscriptionId: subscription 's1' already has an "
                   "AzureSecurityCenter connector (" + label(kConnectors, "a1") + ")");
    json no_subscription = asc("a1", "s1");
    no_subscription["properties"].erase("subscriptionId");
    BOOST_TEST(error_of(arm({no_subscription})) ==
               "t.json: " + label(kConnectors, "a1") + ": properties.subscriptionId: missing (an AzureSecurityCenter "
                   "connector is for one subscription)");
}

BOOST_AUTO_TEST_CASE(an_unknown_state_is_refused) {
    BOOST_TEST(error_of(arm({asc("a1", "s1", "On")})) ==
               "t.json: " + label(kConnectors, "a1") + ": properties.dataTypes.alerts.state: unknown value 'On' "
                   "(expected Enabled or Disabled)");
    BOOST_TEST(error_of(arm({asc("a1", "s1", "Enabeld")})) ==
               "t.json: " + label(kConnectors, "a1") + ": properties.dataTypes.alerts.state: unknown value 'Enabeld' "
                   "(expected Enabled or Disabled; did you mean 'Enabled'?)");
    BOOST_TEST(error_of(arm({xdr("x1", "[parameters('state')]")})) ==
               "t.json: " + label(kConnectors, "x1") + ": properties.dataTypes.incidents.state: unknown value "
                   "'[parameters('state')]' (expected Enabled or Disabled; ARM expressions are not evaluated)");
    json no_state = xdr("x1");
    no_state["properties"].erase("dataTypes");
    BOOST_TEST(error_of(arm({no_state})) ==
               "t.json: " + label(kConnectors, "x1") + ": properties.dataTypes.incidents.state: missing (expected "
                   "Enabled or Disabled)");
}

BOOST_AUTO_TEST_CASE(more_subscriptions_than_the_model_holds_are_refused) {
    Config base;
    base.scope.subscriptions = 2;
    base.scope.late_subscriptions = 1;
    BOOST_TEST(error_of(arm({asc("a1", "s1"), asc("a2", "s2"), asc("a3", "s3"), asc("a4", "s4")}), base) ==
               "t.json: " + label(kConnectors, "a4") + ": properties.subscriptionId: the file names 4 subscriptions, "
                   "but with scope.late_subscriptions 1 only 3 fit (the model holds at most 4 subscriptions)");
}

BOOST_AUTO_TEST_CASE(unreadable_files_and_bad_overlays_are_one_line) {
    BOOST_TEST(([] {
        try {
            read_arm("/nonexistent/t.json", std::nullopt);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    }()) == "/nonexistent/t.json: cannot read file: No such file or directory");
    const TempFile overlay("o.yaml", "connectors:\n  tenant: {enabeld: true}\n");
    BOOST_CHECK_EXCEPTION(read_arm((kArm / "recommended.json").string(), overlay.path.string()), ConfigError,
                          [&](const ConfigError& e) {
                              return std::string(e.what()) == overlay.path.string() +
                                                                  ":2: connectors.tenant.enabeld: unknown key (did you mean 'enabled'?)";
                          });
}

BOOST_AUTO_TEST_SUITE_END()
