// alertflow: prove or refute what a Defender for Cloud -> Sentinel / Defender XDR connector
// set-up promises, by exploring every interleaving of the model.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/compare.hpp"
#include "cli/explore_tui.hpp"
#include "cli/matrix.hpp"
#include "cli/report.hpp"
#include "cli/teach.hpp"
#include "pictures/components.hpp"

namespace {

using namespace alertflow::cli;

constexpr const char* kDescription =
    "alertflow: an exhaustive model checker for how Microsoft Defender for Cloud alerts reach\n"
    "Microsoft Sentinel and Defender XDR. It explores every interleaving of the connectors, rules,\n"
    "syncs and analysts of one configuration and proves each property or prints the shortest\n"
    "counterexample in the domain's words.\n";

constexpr const char* kExitCodes =
    "\nExit codes: 0 every checked property holds; 1 at least one is violated (matrix --require: no configuration\n"
    "qualifies; diff: the change breaks a property that held); 2 bad input or usage; 3 a limit was hit before a\n"
    "verdict (some property unknown, none violated).\n"
    "Examples:\n"
    "  alertflow check                              # the report's recommended set-up\n"
    "  alertflow check configs/b12_xdr_connector_plus_rule.yaml --property exactly-one-incident\n"
    "  alertflow check my.yaml --format json --max-states 5000000 --time-limit 60\n"
    "  alertflow check --from-arm configs/arm/recommended.json --overlay configs/arm/overlay_no_alerts.yaml\n"
    "  alertflow check configs/b05_sub_sync_off.yaml --format svg -o /tmp   # counterexamples as pictures\n"
    "  alertflow diagram tenant-connector --format dot | dot -Tpng > tenant.png\n"
    "  alertflow matrix --require exactly-one-incident,incident-has-alert,sentinel-close-reaches-mdc\n"
    "  alertflow diff configs/default.yaml configs/b12_xdr_connector_plus_rule.yaml\n"
    "  alertflow compare subscription tenant\n"
    "  alertflow report configs/b12_xdr_connector_plus_rule.yaml -o b12.html   # one offline HTML page\n"
    "  alertflow explore configs/b12_xdr_connector_plus_rule.yaml              # step through by hand\n"
    "  alertflow explain configs/b12_xdr_connector_plus_rule.yaml -p exactly-one-incident\n"
    "  alertflow simulate configs/b08_both_connectors_rule.yaml --seed 7\n"
    "  alertflow tour --only B12\n"
    "  alertflow properties                         # the property catalog\n";

Format parse_format(const std::string& s) {
    if (s == "json") return Format::Json;
    if (s == "mermaid") return Format::Mermaid;
    if (s == "dot") return Format::Dot;
    if (s == "svg") return Format::Svg;
    return Format::Text;
}

std::string component_list() {
    std::string list;
    for (std::string_view name : alertflow::pictures::component_names()) list.append(list.empty() ? "" : ", ").append(name);
    return list;
}

// A check of a number flag that says what the number must be: CLI11's PositiveNumber answers 0
// with "Value 0 not in range 0.000000 to 1797...(300 digits)".
CLI::Validator number_check(const std::string& need, bool (*ok)(double), const std::string& name) {
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            double value = 0;
            if (!CLI::detail::lexical_cast(text, value)) return "not a number: " + text;
            return ok(value) ? std::string{} : "must be " + need + ", not " + text;
        },
        name);
}
bool whole(double v) { return v == std::floor(v); }
const CLI::Validator kPositive = number_check("more than 0", [](double v) { return v > 0; }, "POSITIVE");
// Counts (states, steps) are whole: without these, 1.5 got CLI11's "Could not convert".
const CLI::Validator kCount = number_check("a whole number more than 0", [](double v) { return v > 0 && whole(v); }, "COUNT");
const CLI::Validator kSteps = number_check("a whole number, at least 0", [](double v) { return v >= 0 && whole(v); }, "STEPS");
// A thread count past 512 is a typo: asked for 100,000 threads, the system refused one and the
// run ended in "terminate called after throwing std::system_error". 512 start here (2 cores).
const CLI::Validator kThreads = number_check("a whole number from 1 to 512", [](double v) { return v >= 1 && v <= 512 && whole(v); }, "1..512");

// --max-memory's MiB as bytes. A limit past what 64 bits count (16 million TiB) is no limit:
// converting it as it is would be undefined behaviour.
std::uint64_t mib_to_bytes(double mib) {
    constexpr double most = 0x1p64;
    const double bytes = mib * 1024 * 1024;
    return bytes >= most ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(bytes);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{kDescription, "alertflow"};
    app.footer(kExitCodes);
    app.require_subcommand(1);
    app.set_version_flag("--version", "alertflow 0.1.0");

    CheckRequest check;
    std::string config_path, format = "text";
    double max_memory_mib = 0;
    bool quiet = false, progress = false;
    auto* check_cmd = app.add_subcommand("check", "Check a configuration against the property catalog (or chosen properties).");
    auto* config_opt = check_cmd->add_option("config", config_path, "YAML configuration (default: the bundled recommended set-up, configs/default.yaml)");
    std::string from_arm, overlay;
    auto* arm_opt = check_cmd->add_option("--from-arm", from_arm,
                                          "Read the set-up from an ARM template or REST export of the Sentinel workspace (JSON)")
                        ->excludes(config_opt);
    check_cmd->add_option("--overlay", overlay, "With --from-arm: YAML for what a template cannot express (XDR setting, sync, scope, ...)")
        ->needs(arm_opt);
    check_cmd->add_option("-p,--property", check.property_ids, "Property id to check; repeat for several (default: all)");
    check_cmd->add_option("-f,--format", format,
                          "Output: text, json, or a sequence diagram of each counterexample: mermaid, dot (to stdout), "
                          "svg (one file per violated property, in --output)")
        ->check(CLI::IsMember({"text", "json", "mermaid", "dot", "svg"}))
        ->capture_default_str();
    check_cmd->add_option("-o,--output", check.output_dir, "With --format svg: the folder for <property-id>.svg")
        ->capture_default_str();
    check_cmd->add_option("--max-states", check.limits.max_states, "Stop after this many distinct states: verdict unknown, exit 3")
        ->check(kCount);
    check_cmd->add_option("--time-limit", check.limits.time_limit_seconds, "Stop after this many seconds: verdict unknown, exit 3")
        ->check(kPositive);
    check_cmd->add_option("--max-memory", max_memory_mib, "Stop when the process uses this many MiB: verdict unknown, exit 3")
        ->check(kPositive);
    check_cmd->add_option("-j,--threads", check.threads, "Threads for the search (default: one per core); results do not depend on it")
        ->check(kThreads);
    bool fingerprints = false;
    check_cmd->add_flag("--fingerprints", fingerprints,
                        "Store 64-bit hashes instead of packed states (about half the memory); prints the chance that a hash "
                        "collision hid a state");
    auto* quiet_flag = check_cmd->add_flag("-q,--quiet", quiet, "No progress lines on stderr");
    check_cmd->add_flag("--progress", progress, "Progress lines on stderr even when it is not a terminal")->excludes(quiet_flag);

    std::string properties_format = "text";
    auto* props_cmd = app.add_subcommand("properties", "List the property catalog: id, kind, the B-items it speaks to, meaning.");
    props_cmd->add_option("-f,--format", properties_format, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();

    std::string component, diagram_format = "mermaid";
    auto* diagram_cmd = app.add_subcommand(
        "diagram", "Draw one component's state machine, read from its Boost.MSM transition table.");
    diagram_cmd->add_option("component", component, "One of: " + component_list())->required();
    diagram_cmd->add_option("-f,--format", diagram_format, "Output format")
        ->check(CLI::IsMember({"mermaid", "dot", "svg"}))
        ->capture_default_str();

    MatrixRequest matrix;
    std::string sweep_path, matrix_scope, matrix_faults, matrix_format = "text";
    double matrix_memory_mib = 0;
    auto* matrix_cmd = app.add_subcommand(
        "matrix",
        "Check every combination of the knobs (subscription connector, its bi-directional sync and new-subscription\n"
        "policy, tenant connector, XDR's MDC setting, XDR connector, incident creation rule, automation rule): a row\n"
        "per configuration, a column per property. While the subscription connector is off its sync and policy change\n"
        "nothing, so they are enumerated once; the header says how many were skipped.");
    matrix_cmd->add_option("sweep", sweep_path, "YAML sweep file: configuration keys, any knob may be a list meaning 'try each'; knobs left out are swept");
    matrix_cmd->add_option("--scope", matrix_scope, "e.g. alerts=2,subscriptions=2,late=1 (over the file's scope)");
    matrix_cmd->add_option("--faults", matrix_faults, "tenant_duplicates,xdr_incident_before_alert,xdr_correlation,start_time_skew | all | none");
    matrix_cmd->add_option("-p,--property", matrix.property_ids, "Property column; repeat (default: all)");
    matrix_cmd->add_option("-r,--require", matrix.require_ids, "Only configurations where all of these hold (ID,ID,...), simplest first; exit 1 if none")
        ->delimiter(',');
    matrix_cmd->add_option("-f,--format", matrix_format, "Output format")
        ->check(CLI::IsMember({"text", "markdown", "csv", "json"}))
        ->capture_default_str();
    matrix_cmd->add_option("-j,--threads", matrix.threads, "Worker threads (default: one per core)")->check(kThreads);
    matrix_cmd->add_option("--max-states", matrix.limits.max_states, "Per configuration")->check(kCount);
    matrix_cmd->add_option("--time-limit", matrix.limits.time_limit_seconds, "Per configuration, seconds")->check(kPositive);
    matrix_cmd->add_option("--max-memory", matrix_memory_mib, "MiB, the whole process")->check(kPositive);

    DiffRequest diff;
    std::string diff_format = "text";
    auto* diff_cmd = app.add_subcommand(
        "diff", "Which verdicts a planned change flips (BEFORE -> AFTER), with the shortest counterexample under AFTER\n"
                "for each property the change breaks. Exit 1 when it breaks one: a pipeline can stop the rollout.");
    diff_cmd->add_option("before", diff.before, "The configuration in place (YAML)")->required();
    diff_cmd->add_option("after", diff.after, "The planned configuration (YAML)")->required();
    diff_cmd->add_option("-p,--property", diff.property_ids, "Property to compare; repeat (default: all)");
    diff_cmd->add_option("-f,--format", diff_format, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    diff_cmd->add_option("--max-states", diff.limits.max_states, "Per configuration")->check(kCount);
    diff_cmd->add_option("--time-limit", diff.limits.time_limit_seconds, "Per configuration, seconds")->check(kPositive);

    std::vector<std::string> compared;
    auto* compare_cmd = app.add_subcommand(
        "compare", "The report's side-by-side comparison of the two MDC connectors, regenerated from the model's verdicts");
    compare_cmd->add_option("connectors", compared, "subscription tenant (in either order)");

    ReportRequest report;
    std::string report_config;
    double report_memory_mib = 0;
    auto* report_cmd = app.add_subcommand(
        "report", "Check a configuration and write ONE self-contained HTML page (works offline, no JavaScript): the\n"
                  "configuration, the verdict table, and each violated property's sequence diagram and narrated trace.\n"
                  "Exit code as for check; the page is written in every case but bad input.");
    report_cmd->add_option("config", report_config, "YAML configuration (default: the bundled recommended set-up)");
    report_cmd->add_option("-o,--output", report.output_path, "The HTML file to write")->capture_default_str();
    report_cmd->add_option("-p,--property", report.property_ids, "Property id to check; repeat for several (default: all)");
    report_cmd->add_option("--max-states", report.limits.max_states, "Stop after this many distinct states: verdict unknown, exit 3")
        ->check(kCount);
    report_cmd->add_option("--time-limit", report.limits.time_limit_seconds, "Stop after this many seconds: verdict unknown, exit 3")
        ->check(kPositive);
    report_cmd->add_option("--max-memory", report_memory_mib, "Stop when the process uses this many MiB: verdict unknown, exit 3")
        ->check(kPositive);

    ExploreRequest explore;
    std::string explore_config;
    auto* explore_cmd = app.add_subcommand(
        "explore", "Step through the model by hand: the state, the enabled actions numbered; type a number to take one,\n"
                   "u undo, v jump to a property violation, p the path so far, h help, q quit (end of input quits too).\n"
                   "Plain text on stdin/stdout: works on a terminal and on a pipe.");
    explore_cmd->add_option("config", explore_config, "YAML configuration (default: the bundled recommended set-up)");
    explore_cmd->add_option("--max-states", explore.limits.max_states, "For the check `v` runs: stop after this many states")
        ->check(kCount);
    explore_cmd->add_option("--time-limit", explore.limits.time_limit_seconds, "For the check `v` runs: stop after this many seconds")
        ->check(kPositive);

    ExplainRequest explain_request;
    std::string explain_config;
    auto* explain_cmd = app.add_subcommand(
        "explain", "Tell the shortest counterexample of one property step by step, why it fails, and which single setting\n"
                   "(each knob flipped, the model explored again) would make it hold.");
    explain_cmd->add_option("config", explain_config, "YAML configuration (default: the bundled recommended set-up)");
    explain_cmd->add_option("-p,--property", explain_request.property_id, "The property to explain")->required();
    explain_cmd->add_option("--max-states", explain_request.limits.max_states, "Per exploration")->check(kCount);
    explain_cmd->add_option("--time-limit", explain_request.limits.time_limit_seconds, "Per exploration, seconds")
        ->check(kPositive);
    explain_cmd->add_option("-j,--threads", explain_request.threads, "Threads for the flipped configurations (default: one per core)")
        ->check(kThreads);

    SimulateRequest simulate_request;
    std::string simulate_config;
    auto* simulate_cmd = app.add_subcommand(
        "simulate", "One random run (each step uniform among the enabled actions), told step by step; the same seed gives the same run.");
    simulate_cmd->add_option("config", simulate_config, "YAML configuration (default: the bundled recommended set-up)");
    simulate_cmd->add_option("--seed", simulate_request.seed, "Seed of std::mt19937_64")->capture_default_str();
    simulate_cmd->add_option("--steps", simulate_request.steps, "At most this many steps")
        ->check(kSteps)
        ->capture_default_str();

    TourRequest tour_request;
    std::string tour_only, tour_format = "text";
    auto* tour_cmd = app.add_subcommand(
        "tour", "A guided walk through the field report's behaviours B1..B17: configuration, the run that shows it, a diagram,\n"
                "and what the property catalog says.");
    tour_cmd->add_option("--only", tour_only, "One behaviour, e.g. B12");
    tour_cmd->add_option("-f,--format", tour_format, "Output format")->check(CLI::IsMember({"text", "markdown"}))->capture_default_str();
    tour_cmd->add_option("--configs", tour_request.configs_dir, "Folder with the bNN_*.yaml configurations")->capture_default_str();

    // Reductions are on by default; verdicts are unchanged.
    bool no_symmetry = false;
    bool no_por = false;
    bool no_slicing = false;
    bool no_cutoff = false;
    for (auto* cmd : {check_cmd, matrix_cmd, diff_cmd, explain_cmd})
        cmd->add_flag("--no-symmetry", no_symmetry, "Store every state, not one per class of states that behave alike (interchangeable alerts, equivalent row histories; slower, same verdicts)");
    for (auto* cmd : {check_cmd, matrix_cmd, diff_cmd})
        cmd->add_flag("--no-por", no_por,
                      "Explore every interleaving of independent alerts, not one (slower; same verdicts; counterexamples shortest)");
    for (auto* cmd : {check_cmd, matrix_cmd, diff_cmd})
        cmd->add_flag("--no-slicing", no_slicing,
                      "Keep the SecurityAlert rows' writers even when neither the chosen properties nor any rule read the rows "
                      "(slower; same verdicts). Slicing leaves them out for checks such as no-lost-alert or exactly-one-incident "
                      "when no incident creation rule runs and the XDR connector does not wait for the row; a counterexample "
                      "then shows the rows written at its end");
    for (auto* cmd : {check_cmd, matrix_cmd, diff_cmd})
        cmd->add_flag("--no-cutoff", no_cutoff,
                      "Explore every alert of the scope even when alerts never meet (slower; same verdicts). Without XDR "
                      "correlation no incident holds two alerts and no alert touches another's part, and every property is "
                      "a fact about each alert and its incidents, so one alert decides every verdict");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "alertflow: " << e.what() << " (see alertflow --help)\n";
        return kBadInput;
    }

    const alertflow::checker::Reductions reductions{!no_symmetry, !no_por, !no_slicing, !no_cutoff};
    if (*props_cmd) return run_properties(parse_format(properties_format), std::cout);
    if (*diagram_cmd) return run_diagram(component, parse_format(diagram_format), std::cout, std::cerr);
    if (*matrix_cmd) {
        if (!sweep_path.empty()) matrix.sweep_path = sweep_path;
        if (matrix_cmd->count("--scope")) matrix.scope = matrix_scope;
        if (matrix_cmd->count("--faults")) matrix.faults = matrix_faults;
        matrix.format = matrix_format == "markdown" ? MatrixFormat::Markdown
                        : matrix_format == "csv"    ? MatrixFormat::Csv
                        : matrix_format == "json"   ? MatrixFormat::Json
                                                    : MatrixFormat::Text;
        matrix.limits.max_memory_bytes = mib_to_bytes(matrix_memory_mib);
        matrix.reductions = reductions;
        return run_matrix(matrix, std::cout, std::cerr);
    }
    if (*diff_cmd) {
        diff.format = parse_format(diff_format);
        diff.reductions = reductions;
        return run_diff(diff, std::cout, std::cerr);
    }
    if (*compare_cmd) return run_compare(compared, std::cout, std::cerr);
    if (*explain_cmd) {
        if (!explain_config.empty()) explain_request.config_path = explain_config;
        explain_request.symmetry = !no_symmetry;
        return run_explain(explain_request, std::cout, std::cerr);
    }
    if (*simulate_cmd) {
        if (!simulate_config.empty()) simulate_request.config_path = simulate_config;
        return run_simulate(simulate_request, std::cout, std::cerr);
    }
    if (*tour_cmd) {
        if (!tour_only.empty()) tour_request.only = tour_only;
        tour_request.format = tour_format == "markdown" ? TourFormat::Markdown : TourFormat::Text;
        return run_tour(tour_request, std::cout, std::cerr);
    }
    if (*report_cmd) {
        if (!report_config.empty()) report.config_path = report_config;
        report.limits.max_memory_bytes = mib_to_bytes(report_memory_mib);
        return run_report(report, std::cout, std::cerr);
    }
    if (*explore_cmd) {
        if (!explore_config.empty()) explore.config_path = explore_config;
        explore.echo = !isatty(STDIN_FILENO);  // a terminal echoes what is typed; a pipe does not
        return run_explore(explore, std::cin, std::cout, std::cerr);
    }
    if (!config_path.empty()) check.config_path = config_path;
    if (!from_arm.empty()) check.from_arm = from_arm;
    if (!overlay.empty()) check.overlay = overlay;
    check.format = parse_format(format);
    check.limits.max_memory_bytes = mib_to_bytes(max_memory_mib);
    check.progress = quiet ? Progress::Never : progress ? Progress::Always : Progress::Auto;
    check.reductions = reductions;
    check.store = fingerprints ? alertflow::checker::StoreMode::Fingerprint : alertflow::checker::StoreMode::Exact;
    return run_check(check, std::cout, std::cerr);
}
