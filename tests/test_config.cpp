// Loading a configuration from YAML: defaults, the examples in configs/, JSON output, and the
// one-line `FILE:LINE: KEY: message` errors (golden strings: the message IS the interface).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/config_yaml.hpp"

namespace {

namespace fs = std::filesystem;
using alertflow::cli::ConfigError;
using alertflow::cli::parse_config;
using alertflow::model::Config;

const fs::path kConfigs = fs::path(ALERTFLOW_SOURCE_DIR) / "configs";

// The message parse_config gives for `yaml` read as "c.yaml", or "no error".
std::string error_of(const std::string& yaml) {
    try {
        parse_config(yaml, "c.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

std::vector<fs::path> example_files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(kConfigs))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// Every key set, each to a value other than its default.
const char* const kEveryKey = R"(description: every key changed
connectors:
  subscription: {enabled: false, bidirectional_sync: false, new_subscription_policy: true, sync_scope: own-rows}
  tenant: {enabled: true}
  xdr: {enabled: true}
xdr: {mdc_alerts: none}
rules: {incident_creation: false, automation_close: true, time_window: true}
scope: {subscriptions: 4, late_subscriptions: 3, alerts: 6}
analysts: {close_in_mdc: false, close_in_sentinel: false, close_in_xdr: false, reopen_in_mdc: true}
timing: subscription-before-tenant
faults: {tenant_duplicates: true, xdr_incident_before_alert: true, xdr_correlation: true, start_time_skew: true}
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(config_loading)

// ---- Defaults and values

BOOST_AUTO_TEST_CASE(an_empty_file_means_all_defaults) {
    BOOST_TEST((parse_config("", "c.yaml") == Config{}));
    BOOST_TEST((parse_config("# nothing set\n", "c.yaml") == Config{}));
    BOOST_TEST((parse_config("---\n", "c.yaml") == Config{}));
    BOOST_TEST((parse_config("{}", "c.yaml") == Config{}));
}

BOOST_AUTO_TEST_CASE(keys_left_out_take_the_defaults_of_config_hpp) {
    const Config read = parse_config("connectors:\n  tenant: {enabled: true}\nscope: {alerts: 3}\n", "c.yaml");
    Config expected;
    expected.connectors.tenant.enabled = true;
    expected.scope.alerts = 3;
    BOOST_TEST((read == expected));
}

BOOST_AUTO_TEST_CASE(every_key_set_to_a_non_default_value_is_read) {
    const Config c = parse_config(kEveryKey, "c.yaml");
    BOOST_TEST(!c.connectors.subscription.enabled);
    BOOST_TEST((c.connectors.subscription.sync_scope == alertflow::model::SyncScope::OwnRows));
    BOOST_TEST((c.xdr.mdc_alerts == alertflow::model::XdrMdcAlerts::None));
    BOOST_TEST(c.scope.late_subscriptions == 3);
    BOOST_TEST(c.analysts.reopen_in_mdc);
    BOOST_TEST((c.timing == alertflow::model::Timing::SubscriptionBeforeTenant));
    BOOST_TEST(c.faults.start_time_skew);
}

BOOST_AUTO_TEST_CASE(booleans_accept_true_and_false_in_any_case) {
    BOOST_TEST(parse_config("rules: {time_window: True}", "c.yaml").rules.time_window);
    BOOST_TEST(!parse_config("rules: {incident_creation: FALSE}", "c.yaml").rules.incident_creation);
}

BOOST_AUTO_TEST_CASE(description_is_free_text_the_model_ignores) {
    BOOST_TEST((parse_config("description: free text, naming B7\n", "c.yaml") == Config{}));
    BOOST_TEST((parse_config("description: 42\n", "c.yaml") == Config{}));
}

// ---- JSON output

BOOST_AUTO_TEST_CASE(to_json_has_the_yaml_key_structure_with_enums_spelled_as_in_yaml) {
    const nlohmann::json j = alertflow::cli::to_json(parse_config(kEveryKey, "c.yaml"));
    BOOST_TEST(j["connectors"]["subscription"]["new_subscription_policy"].get<bool>());
    BOOST_TEST(j["connectors"]["subscription"]["sync_scope"].get<std::string>() == "own-rows");
    BOOST_TEST(j["xdr"]["mdc_alerts"].get<std::string>() == "none");
    BOOST_TEST(j["scope"]["alerts"].get<int>() == 6);
    BOOST_TEST(j["timing"].get<std::string>() == "subscription-before-tenant");
    BOOST_TEST(!j["analysts"]["close_in_xdr"].get<bool>());
    BOOST_TEST(!j.contains("description"));  // not part of the configuration
}

// JSON is YAML, so the JSON output read back must give the same configuration.
BOOST_AUTO_TEST_CASE(to_json_output_reads_back_as_the_same_config) {
    for (const Config& c : {Config{}, parse_config(kEveryKey, "c.yaml")})
        BOOST_TEST((parse_config(alertflow::cli::to_json(c).dump(), "c.json") == c));
}

BOOST_AUTO_TEST_CASE(enum_spellings_are_the_yaml_ones) {
    using namespace alertflow::model;
    using alertflow::cli::to_string;
    BOOST_TEST(to_string(XdrMdcAlerts::All) == "all");
    BOOST_TEST(to_string(XdrMdcAlerts::None) == "none");
    BOOST_TEST(to_string(Timing::AnyOrder) == "any-order");
    BOOST_TEST(to_string(Timing::SubscriptionBeforeTenant) == "subscription-before-tenant");
    BOOST_TEST(to_string(SyncScope::AlertId) == "alert-id");
    BOOST_TEST(to_string(SyncScope::OwnRows) == "own-rows");
}

// ---- The examples in configs/

BOOST_AUTO_TEST_CASE(default_yaml_is_the_recommended_config) {
    const Config read = alertflow::cli::load_config((kConfigs / "default.yaml").string());
    BOOST_TEST((read == alertflow::model::recommended_config()));
}

// Iterates the folder, so an example added later is checked without touching this file.
BOOST_AUTO_TEST_CASE(every_example_config_loads_and_describes_itself) {
    for (const fs::path& file : example_files()) {
        BOOST_TEST_CONTEXT(file.filename().string()) {
            BOOST_CHECK_NO_THROW(alertflow::cli::load_config(file.string()));
            std::ifstream in(file);
            std::string first_line;
            std::getline(in, first_line);
            BOOST_TEST(first_line.starts_with("description:"));
        }
    }
}

BOOST_AUTO_TEST_CASE(every_report_behaviour_b1_to_b17_has_an_example) {
    const std::vector<fs::path> files = example_files();
    for (int b = 1; b <= 17; ++b) {
        const std::string prefix = (b < 10 ? "b0" : "b") + std::to_string(b) + "_";
        BOOST_TEST_CONTEXT(prefix) {
            BOOST_TEST(std::any_of(files.begin(), files.end(), [&](const fs::path& f) {
                return f.filename().string().starts_with(prefix);
            }));
        }
    }
}

// ---- Errors: one line, FILE:LINE: KEY: message

BOOST_AUTO_TEST_CASE(an_unknown_key_suggests_the_closest_known_key) {
    BOOST_TEST(error_of("connectors:\n  subscription: {enabled: false}\n  tenant:\n    enabeld: true\n") ==
               "c.yaml:4: connectors.tenant.enabeld: unknown key (did you mean 'enabled'?)");
    BOOST_TEST(error_of("scope: {alert: 2}\n") == "c.yaml:1: scope.alert: unknown key (did you mean 'alerts'?)");
}

BOOST_AUTO_TEST_CASE(an_unknown_key_far_from_every_key_lists_the_valid_keys) {
    BOOST_TEST(error_of("rules:\n  colour: red\n") ==
               "c.yaml:2: rules.colour: unknown key (valid keys: incident_creation, automation_close, time_window)");
    BOOST_TEST(error_of("zzz: 1\n") ==
               "c.yaml:1: zzz: unknown key (valid keys: description, connectors, xdr, rules, scope, analysts, "
               "timing, faults)");
}

BOOST_AUTO_TEST_CASE(a_dotted_key_is_not_a_shortcut_for_nesting) {
    BOOST_TEST(error_of("rules.time_window: true\n").starts_with("c.yaml:1: rules.time_window: unknown key ("));
}

BOOST_AUTO_TEST_CASE(a_boolean_key_accepts_only_true_or_false) {
    BOOST_TEST(error_of("connectors:\n  tenant: {enabled: yes-please}\n") ==
               "c.yaml:2: connectors.tenant.enabled: expected true or false, got 'yes-please'");
    BOOST_TEST(error_of("rules: {automation_close: 3}\n") ==
               "c.yaml:1: rules.automation_close: expected true or false, got '3'");
    BOOST_TEST(error_of("faults:\n  xdr_correlation: {a: 1}\n") ==
               "c.yaml:2: faults.xdr_correlation: expected true or false, got a mapping");
}

BOOST_AUTO_TEST_CASE(yaml_1_1_booleans_are_refused_and_the_message_says_so) {
    BOOST_TEST(error_of("analysts: {close_in_mdc: yes}\n") ==
               "c.yaml:1: analysts.close_in_mdc: expected true or false, got 'yes' "
               "(only true and false are accepted, not yes/no/on/off/y/n)");
    BOOST_TEST(error_of("analysts: {close_in_mdc: off}\n").ends_with("not yes/no/on/off/y/n)"));
}

BOOST_AUTO_TEST_CASE(a_key_left_empty_is_reported_on_its_own_line) {
    BOOST_TEST(error_of("rules:\n  time_window:\n  automation_close: true\n") ==
               "c.yaml:2: rules.time_window: expected true or false, got nothing");
}

BOOST_AUTO_TEST_CASE(an_integer_key_accepts_only_a_whole_number) {
    BOOST_TEST(error_of("scope: {alerts: two}\n") == "c.yaml:1: scope.alerts: expected a whole number, got 'two'");
    BOOST_TEST(error_of("scope:\n  subscriptions: 1.5\n") ==
               "c.yaml:2: scope.subscriptions: expected a whole number, got '1.5'");
    BOOST_TEST(error_of("scope: {alerts: [1]}\n") == "c.yaml:1: scope.alerts: expected a whole number, got a list");
}

BOOST_AUTO_TEST_CASE(a_section_given_a_scalar_expects_a_mapping) {
    BOOST_TEST(error_of("connectors: true\n") == "c.yaml:1: connectors: expected a mapping of keys, got 'true'");
    BOOST_TEST(error_of("connectors:\n  xdr: on\n") ==
               "c.yaml:2: connectors.xdr: expected a mapping of keys, got 'on'");
    BOOST_TEST(error_of("rules:\n") == "c.yaml:1: rules: expected a mapping of keys, got nothing");
}

BOOST_AUTO_TEST_CASE(an_unknown_enum_value_lists_the_values_and_suggests_the_closest) {
    BOOST_TEST(error_of("xdr: {mdc_alerts: every}\n") ==
               "c.yaml:1: xdr.mdc_alerts: unknown value 'every' (expected one of: all, none)");
    BOOST_TEST(error_of("xdr: {mdc_alerts: some}\n") ==
               "c.yaml:1: xdr.mdc_alerts: unknown value 'some' (expected one of: all, none; did you mean 'none'?)");
    BOOST_TEST(error_of("timing: any_order\n") ==
               "c.yaml:1: timing: unknown value 'any_order' "
               "(expected one of: any-order, subscription-before-tenant; did you mean 'any-order'?)");
    BOOST_TEST(error_of("connectors:\n  subscription: {sync_scope: {x: 1}}\n") ==
               "c.yaml:2: connectors.subscription.sync_scope: expected one of: alert-id, own-rows, got a mapping");
}

BOOST_AUTO_TEST_CASE(alerts_out_of_range_states_the_range_and_why) {
    BOOST_TEST(error_of("scope: {alerts: 7}\n") ==
               "c.yaml:1: scope.alerts: 7 is out of range 1..6 (the state is a fixed-size value: at most 6 alerts)");
    BOOST_TEST(error_of("scope: {alerts: 0}\n") ==
               "c.yaml:1: scope.alerts: 0 is out of range 1..6 (with no alert there is nothing to check)");
    BOOST_TEST(error_of("scope: {alerts: 99999999999999999999}\n") ==
               "c.yaml:1: scope.alerts: 99999999999999999999 is out of range 1..6 "
               "(the state is a fixed-size value: at most 6 alerts)");
}

BOOST_AUTO_TEST_CASE(subscriptions_out_of_range_states_the_range_and_why) {
    BOOST_TEST(error_of("scope: {subscriptions: 5}\n") ==
               "c.yaml:1: scope.subscriptions: 5 is out of range 1..4 "
               "(the state is a fixed-size value: at most 4 subscriptions)");
    BOOST_TEST(error_of("scope: {subscriptions: 0}\n") ==
               "c.yaml:1: scope.subscriptions: 0 is out of range 1..4 (an alert needs a subscription to be raised in)");
}

// The bound depends on subscriptions, which may come after it in the file.
BOOST_AUTO_TEST_CASE(late_subscriptions_must_leave_one_subscription_at_set_up) {
    BOOST_TEST(error_of("scope:\n  late_subscriptions: 2\n  subscriptions: 2\n") ==
               "c.yaml:2: scope.late_subscriptions: 2 is out of range 0..1 "
               "(at least one subscription must exist when the connectors are set up)");
    BOOST_TEST(error_of("scope: {late_subscriptions: 1}\n") ==
               "c.yaml:1: scope.late_subscriptions: 1 is out of range 0..0 "
               "(at least one subscription must exist when the connectors are set up)");
    BOOST_TEST(error_of("scope: {late_subscriptions: -1}\n") ==
               "c.yaml:1: scope.late_subscriptions: -1 is out of range 0..0 (a count cannot be negative)");
    BOOST_TEST(parse_config("scope: {late_subscriptions: 3, subscriptions: 4}\n", "c.yaml").scope.late_subscriptions == 3);
}

BOOST_AUTO_TEST_CASE(a_missing_file_names_the_file_and_the_system_error) {
    const std::string missing = (fs::temp_directory_path() / "alertflow-no-such-dir" / "missing.yaml").string();
    BOOST_CHECK_EXCEPTION(alertflow::cli::load_config(missing), ConfigError, [&](const ConfigError& e) {
        return std::string(e.what()) == missing + ": cannot read file: No such file or directory";
    });
}

BOOST_AUTO_TEST_CASE(a_directory_is_not_a_readable_file) {
    BOOST_CHECK_EXCEPTION(alertflow::cli::load_config(kConfigs.string()), ConfigError, [&](const ConfigError& e) {
        return std::string(e.what()) == kConfigs.string() + ": cannot read file: Is a directory";
    });
}

BOOST_AUTO_TEST_CASE(a_yaml_syntax_error_gives_its_line_and_yaml_cpps_message) {
    BOOST_TEST(error_of("rules: {time_window: true\nscope: [1\n") ==
               "c.yaml:2: YAML syntax error: end of map flow not found");
    BOOST_TEST(error_of("\trules: {}\n") == "c.yaml:1: YAML syntax error: illegal map value");
}

BOOST_AUTO_TEST_CASE(a_top_level_scalar_or_list_is_refused) {
    BOOST_TEST(error_of("hello\n") == "c.yaml:1: expected a mapping of keys at the top level, got 'hello'");
    BOOST_TEST(error_of("\n- rules\n") == "c.yaml:2: expected a mapping of keys at the top level, got a list");
}

BOOST_AUTO_TEST_CASE(a_repeated_key_is_refused) {
    BOOST_TEST(error_of("rules: {time_window: true}\nscope: {}\nrules: {time_window: false}\n") ==
               "c.yaml:3: rules: duplicate key (first given on line 1)");
    BOOST_TEST(error_of("scope:\n  alerts: 2\n  alerts: 3\n") ==
               "c.yaml:3: scope.alerts: duplicate key (first given on line 2)");
}

BOOST_AUTO_TEST_CASE(a_second_yaml_document_is_refused) {
    BOOST_TEST(error_of("rules: {}\n---\nscope: {}\n") ==
               "c.yaml:3: a second YAML document: a file holds one configuration");
}

BOOST_AUTO_TEST_CASE(a_key_that_is_not_a_plain_name_is_refused) {
    BOOST_TEST(error_of("rules:\n  ? [a, b]\n  : true\n") == "c.yaml:2: rules: keys must be plain names, got a list");
}

BOOST_AUTO_TEST_CASE(a_description_that_is_not_text_is_refused) {
    BOOST_TEST(error_of("description:\n  - B1\n") == "c.yaml:1: description: expected text, got a list");
}

// Every prefix of a valid file is some input, broken or not: each must give a Config or a ConfigError.
BOOST_AUTO_TEST_CASE(truncated_files_give_a_config_or_a_config_error_never_another_exception) {
    const std::string text = kEveryKey;
    int configs = 0;
    int errors = 0;
    for (std::size_t n = 0; n <= text.size(); ++n) {
        try {
            parse_config(text.substr(0, n), "c.yaml");
            ++configs;
        } catch (const ConfigError&) {
            ++errors;
        } catch (const std::exception& e) {
            BOOST_ERROR("first " << n << " characters: " << e.what());
        }
    }
    BOOST_TEST(configs > 0);  // both outcomes occur, so the prefixes did exercise both paths
    BOOST_TEST(errors > 0);
}

BOOST_AUTO_TEST_SUITE_END()
