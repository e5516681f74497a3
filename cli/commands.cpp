#include "cli/commands.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/arm_import.hpp"
#include "cli/config_yaml.hpp"
#include "cli/matrix.hpp"
#include "cli/verdicts.hpp"
#include "pictures/components.hpp"
#include "pictures/sequence.hpp"
#include "properties/verify.hpp"
#include "traces/trace.hpp"

namespace alertflow::cli {

namespace {

using checker::Verdict;

double mib(std::uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

std::string stats_line(const checker::Stats& s) {
    const std::string hashed =
        s.collision_probability > 0 ? fmt::format(", fingerprints (chance a collision hid a state: {:.1e})", s.collision_probability) : "";
    return fmt::format("{} states, {} transitions, depth {}, {:.2f} s ({:.0f} states/s, {} thread{}), peak memory {:.1f} MiB{}{}",
                       s.states, s.transitions, s.depth, s.seconds, s.states_per_second(), s.threads, s.threads == 1 ? "" : "s",
                       mib(s.peak_memory_bytes), hashed, s.stop_reason.empty() ? "" : fmt::format(" -- stopped early: {}", s.stop_reason));
}

// Partial-order reduction explores one order of independent steps, and slicing ends an
// eventually-property's run with the row writers' work it left out: such counterexamples are
// real runs, not always the shortest of all.
std::string_view counterexample_title(bool partial_order, bool sliced_end) {
    if (partial_order && sliced_end)
        return "Counterexample (partial-order reduction and slicing: --no-por --no-slicing give a shortest one)";
    if (partial_order) return "Counterexample (partial-order reduction: --no-por gives a shortest one)";
    if (sliced_end) return "Counterexample (slicing: --no-slicing gives a shortest one)";
    return "Shortest counterexample";
}

std::function<void(const checker::Stats&)> progress_printer(Progress progress, std::ostream& err) {
    const bool on = progress == Progress::Always || (progress == Progress::Auto && isatty(fileno(stderr)));
    if (!on) return nullptr;
    return [&err](const checker::Stats& s) { fmt::print(err, "progress: {}\n", stats_line(s)); };
}

void print_text(const model::Config& config, const std::string& config_name, const properties::Result& result,
                const std::vector<const properties::Property*>& chosen, bool partial_order, std::ostream& out) {
    fmt::print(out, "alertflow check {}\n", config_name);
    fmt::print(out, "explored {}\n", stats_line(result.stats));
    if (result.stats.sliced)
        fmt::print(out, "sliced: without the SecurityAlert rows' writers, which no chosen property and no rule reads "
                        "(--no-slicing keeps them)\n");
    if (result.stats.cutoff)
        fmt::print(out, "cutoff: one alert explored for all {}: without XDR correlation alerts never meet, and every property "
                        "is a fact about each alert (--no-cutoff explores them all)\n",
                   config.scope.alerts);
    fmt::print(out, "\n");
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const auto& c = result.checks[i];
        fmt::print(out, "  {:<28} {:<10} {:<10} {}\n", c.id, c.verdict == Verdict::Violated ? "VIOLATED" : verdict_name(c.verdict),
                   properties::kind_name(c.kind), chosen[i]->meaning);
        if (c.verdict == Verdict::Unknown) fmt::print(out, "  {:<28} why unknown: {}\n", "", c.note);
    }
    int counts[3] = {0, 0, 0};
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const auto& c = result.checks[i];
        ++counts[static_cast<int>(c.verdict)];
        if (!c.trace) continue;
        const bool sliced_end = result.stats.sliced && c.kind == checker::PropertyKind::Eventually;
        fmt::print(out, "\n{}: violated. {}, {} step(s):\n", c.id, counterexample_title(partial_order, sliced_end),
                   c.trace->actions.size());
        for (const std::string& line : traces::counterexample_lines(config, *chosen[i], *c.trace)) fmt::print(out, "  {}\n", line);
    }
    fmt::print(out, "\n{} hold, {} violated, {} unknown.\n", counts[0], counts[1], counts[2]);
}

void print_json(const model::Config& config, const std::optional<ArmReading>& arm, const properties::Result& result,
                const std::vector<const properties::Property*>& chosen, std::ostream& out) {
    const auto& s = result.stats;
    nlohmann::json props = nlohmann::json::array();
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const auto& c = result.checks[i];
        nlohmann::json p{{"id", c.id},
                         {"kind", properties::kind_name(c.kind)},
                         {"verdict", verdict_name(c.verdict)},
                         {"meaning", chosen[i]->meaning},
                         {"speaks_to", chosen[i]->speaks_to}};
        if (c.verdict == Verdict::Unknown) p["note"] = c.note;
        p["trace"] = c.trace ? traces::trace_json(config, *c.trace) : nlohmann::json::array();
        props.push_back(p);
    }
    nlohmann::json doc{{"config", to_json(config)},
                             {"stats",
                              {{"states", s.states},
                               {"transitions", s.transitions},
                               {"depth", s.depth},
                               {"seconds", s.seconds},
                               {"states_per_second", s.states_per_second()},
                               {"peak_memory_bytes", s.peak_memory_bytes},
                               {"store_bytes", s.store_bytes},
                               {"state_bytes", s.state_bytes},
                               {"sliced", s.sliced},
                               {"cutoff", s.cutoff},
                               {"threads", s.threads},
                               {"collision_probability", s.collision_probability},
                               {"complete", s.complete},
                               {"stop_reason", s.stop_reason}}},
                             {"properties", props}};
    if (arm) doc["arm"] = {{"recognised", arm->recognised}, {"ignored", arm->ignored}, {"notes", arm->notes}};
    out << doc.dump(2) << '\n';
}

// Mermaid and DOT go to stdout one after another, each after a comment naming its property;
// SVG documents cannot be concatenated, so each goes to <dir>/<property-id>.svg.
void print_pictures(const model::Config& config, const properties::Result& result, Format format,
                    const std::string& output_dir, std::ostream& out) {
    for (const auto& c : result.checks) {
        if (!c.trace) continue;
        if (format == Format::Mermaid) fmt::print(out, "%% {}: shortest counterexample\n{}\n", c.id, pictures::trace_mermaid(config, *c.trace));
        if (format == Format::Dot) fmt::print(out, "// {}: shortest counterexample\n{}\n", c.id, pictures::trace_dot(config, *c.trace));
        if (format != Format::Svg) continue;
        const std::filesystem::path file = std::filesystem::path(output_dir) / (c.id + ".svg");
        std::ofstream(file) << pictures::trace_svg(config, *c.trace);
        fmt::print(out, "wrote {}\n", file.string());
    }
}

void print_summary_line(const properties::Result& result, std::ostream& err) {
    int counts[3] = {0, 0, 0};
    for (const auto& c : result.checks) ++counts[static_cast<int>(c.verdict)];
    fmt::print(err, "alertflow: {} hold, {} violated, {} unknown\n", counts[0], counts[1], counts[2]);
}

// Ctrl-C stops the exploration cleanly: what was explored is reported, unfinished verdicts unknown.
std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) { interrupted.store(true); }

}  // namespace

int run_check(const CheckRequest& request, std::ostream& out, std::ostream& err) {
    model::Config config;
    std::optional<ArmReading> arm;
    std::vector<const properties::Property*> chosen;
    try {
        if (request.from_arm) arm = read_arm(*request.from_arm, request.overlay);
        config = arm ? arm->config : request.config_path ? load_config(*request.config_path) : model::recommended_config();
        chosen = choose_properties(request.property_ids);
    } catch (const std::runtime_error& e) {  // ConfigError: one line, nothing checked
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }
    if (request.format == Format::Svg && !std::filesystem::is_directory(request.output_dir)) {
        fmt::print(err, "alertflow: --output {}: not a directory\n", request.output_dir);
        return kBadInput;
    }
    const model::System system(config);
    const checker::Options options{request.limits, progress_printer(request.progress, err), request.reductions, &interrupted,
                                   request.threads == 0 ? default_threads() : request.threads, request.store};
    interrupted.store(false);  // a Ctrl-C stops the run it interrupts, not a later one in this process
    const auto previous = std::signal(SIGINT, on_interrupt);
    const properties::Result result = properties::verify(system, chosen, options);
    std::signal(SIGINT, previous);
    if (request.format == Format::Json) {
        print_json(config, arm, result, chosen, out);
    } else if (request.format != Format::Text) {
        print_pictures(config, result, request.format, request.output_dir, out);
        print_summary_line(result, err);
    } else {
        if (arm)
            for (const std::string& line : describe_reading(*arm)) fmt::print(out, "{}\n", line);
        const std::string name = arm ? "--from-arm " + *request.from_arm
                                     : request.config_path.value_or("(bundled default: the report's recommended set-up)");
        // With one alert explored (one in scope, or the cutoff) there is nothing to interleave:
        // partial-order reduction changes nothing.
        const bool interleaved = config.scope.alerts > 1 && !result.stats.cutoff;
        print_text(config, name, result, chosen, request.reductions.partial_order && interleaved, out);
    }
    const int code = exit_code_of(result);
    if (code == kIncomplete)
        fmt::print(err, "alertflow: exploration incomplete ({}): unexplored states could hide a violation\n",
                   result.stats.stop_reason);
    return code;
}

int run_properties(Format format, std::ostream& out) {
    if (format == Format::Json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : properties::catalog())
            list.push_back({{"id", p.id},
                            {"kind", properties::kind_name(p.kind)},
                            {"meaning", p.meaning},
                            {"speaks_to", p.speaks_to},
                            {"reads_rows", p.reads_rows()}});
        out << list.dump(2) << '\n';
        return kAllHold;
    }
    for (const auto& p : properties::catalog())
        fmt::print(out, "{:<28} {:<10} [{}]\n    {}\n", p.id, properties::kind_name(p.kind), p.speaks_to, p.meaning);
    return kAllHold;
}

}  // namespace alertflow::cli

namespace alertflow::cli {

int run_diagram(const std::string& component, Format format, std::ostream& out, std::ostream& err) {
    try {
        const auto diagram = pictures::component_diagram(component);
        const std::string text = format == Format::Dot   ? pictures::component_dot(diagram)
                                 : format == Format::Svg ? pictures::component_svg(diagram)
                                                         : pictures::component_mermaid(diagram);
        out << text << (text.ends_with('\n') ? "" : "\n");
        return kAllHold;
    } catch (const std::invalid_argument& e) {
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }
}

}  // namespace alertflow::cli
