#include "cli/report.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <yaml-cpp/yaml.h>

#include "cli/commands.hpp"
#include "cli/config_yaml.hpp"
#include "cli/verdicts.hpp"
#include "pictures/sequence.hpp"
#include "traces/trace.hpp"

namespace alertflow::cli {

namespace {

using checker::Verdict;

constexpr const char* kDefaultName = "bundled default (the report's recommended set-up)";
constexpr const char* kDefaultDescription =
    "The report's recommended set-up: the Defender XDR connector with the tenant-based MDC connector, "
    "XDR on \"All alerts\", the legacy subscription connector and the incident creation rule off.";

// Light, print-friendly, readable at 1280 px; the diagrams shrink to the page width.
constexpr const char* kStyle = R"css(
:root { --ink: #111827; --muted: #4b5563; --line: #d1d5db; --band: #f3f6fb;
        --ok: #166534; --ok-bg: #dcfce7; --bad: #991b1b; --bad-bg: #fee2e2; --unk: #854d0e; --unk-bg: #fef9c3; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #ffffff;
       font: 15px/1.45 "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1500px; margin: 0 auto; padding: 20px 28px 40px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 17px; margin: 26px 0 6px; }
h4 { font-size: 15px; margin: 16px 0 6px; }
code, pre, .id { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
.description { color: var(--muted); margin: 0 0 10px; max-width: 70em; }
.summary { margin: 8px 0; }
.badge { display: inline-block; padding: 2px 10px; margin-right: 6px; border-radius: 12px; font-weight: 600; }
.badge.holds, td.verdict.holds { background: var(--ok-bg); color: var(--ok); }
.badge.violated, td.verdict.violated { background: var(--bad-bg); color: var(--bad); }
.badge.unknown, td.verdict.unknown { background: var(--unk-bg); color: var(--unk); }
.stats { color: var(--muted); font-size: 13px; margin: 4px 0; }
nav { margin: 14px 0; padding: 8px 12px; background: var(--band); border-radius: 6px; font-size: 14px; }
nav a { margin-right: 14px; }
a { color: #1d4ed8; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 4px 10px; border-bottom: 1px solid var(--line); }
thead th { background: var(--band); }
.config-grid { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
.config-grid table { border: 1px solid var(--line); }
.config-grid caption { text-align: left; font-weight: 700; padding: 4px 10px; background: var(--band);
                       border: 1px solid var(--line); border-bottom: none; }
.config-grid th { font-weight: normal; }
.config-grid tr.changed th, .config-grid tr.changed td { font-weight: 700; }
.config-grid tr.changed td::after { content: " \2605"; color: #b45309; }
.note { color: var(--muted); font-size: 13px; }
table.verdicts { width: 100%; }
td.verdict { font-weight: 700; white-space: nowrap; }
td.items, td.id { white-space: nowrap; }
.counterexample { margin-top: 22px; }
.counterexample + .counterexample { border-top: 1px solid var(--line); }
.meaning { margin: 4px 0 8px; }
figure { margin: 10px 0; }
.diagram { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #ffffff; }
.diagram svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.trace { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: 13px;
         background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.trace div { white-space: pre-wrap; padding-left: 3ch; text-indent: -3ch; }
.trace .step { font-weight: 700; }
.trace div.changed { color: var(--muted); padding-left: 12ch; text-indent: -12ch; }
.trace div.state { padding-left: 6ch; text-indent: -6ch; }
.trace .heading { font-weight: 700; color: var(--bad); }
.trace .meaning-line { font-style: italic; }
footer { margin-top: 36px; color: var(--muted); font-size: 13px; }
@media print { nav { display: none; } .diagram { overflow: visible; } .counterexample { break-inside: avoid-page; } }
)css";

double mib(std::uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

std::string stats_text(const checker::Stats& s, int alerts) {
    return fmt::format("Explored {} states and {} transitions, depth {}, in {:.2f} s; peak memory {:.1f} MiB.{}{}", s.states,
                       s.transitions, s.depth, s.seconds, mib(s.peak_memory_bytes),
                       s.cutoff ? fmt::format(" One alert stood for all {}: without XDR correlation alerts never meet.", alerts) : "",
                       s.complete ? "" : fmt::format(" Stopped early: {}.", s.stop_reason));
}

std::string value_text(const nlohmann::json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// The leaves under one node: (key relative to the node, JSON pointer from the root, value), in the
// JSON's (sorted) order; a scalar node is its own single leaf, named by its key.
struct Leaf {
    std::string key;
    std::string pointer;
    nlohmann::json value;
};

void flatten(const nlohmann::json& node, const std::string& key, const std::string& pointer, std::vector<Leaf>& out) {
    if (!node.is_object()) {
        out.push_back({key, pointer, node});
        return;
    }
    for (const auto& [k, value] : node.items())
        flatten(value, key.empty() ? k : key + "." + k, pointer + "/" + k, out);
}

// The configuration as one small table per top-level YAML key, in the README's order; every key
// shown (left-out keys with the value they take), those that differ from the key's default marked.
std::string config_section(const model::Config& config) {
    const nlohmann::json now = to_json(config);
    const nlohmann::json defaults = to_json(model::Config{});
    std::vector<std::string> order{"connectors", "xdr", "rules", "scope", "analysts", "timing", "faults"};
    for (const auto& [key, value] : now.items())
        if (std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);  // keys added later

    std::string html = "<section id=\"configuration\">\n<h2>Configuration</h2>\n";
    html += "<p class=\"note\">Every YAML key, with the value it takes here (a key left out of the file takes its default). "
            "Keys in bold, marked \xe2\x98\x85, differ from their default.</p>\n<div class=\"config-grid\">\n";
    for (const std::string& group : order) {
        if (!now.contains(group)) continue;
        std::vector<Leaf> leaves;
        flatten(now[group], now[group].is_object() ? "" : group, "/" + group, leaves);
        html += fmt::format("<table class=\"config\" data-group=\"{0}\"><caption>{0}</caption>\n", html_escape(group));
        for (const Leaf& leaf : leaves) {
            const nlohmann::json::json_pointer pointer(leaf.pointer);
            const bool has_default = defaults.contains(pointer);
            const bool changed = !has_default || defaults.at(pointer) != leaf.value;
            html += fmt::format("<tr{}><th><code>{}</code></th><td><code>{}</code>{}</td></tr>\n",
                                changed ? " class=\"changed\"" : "", html_escape(leaf.key), html_escape(value_text(leaf.value)),
                                changed && has_default
                                    ? fmt::format(" <span class=\"note\">(default {})</span>",
                                                  html_escape(value_text(defaults.at(pointer))))
                                    : "");
        }
        html += "</table>\n";
    }
    html += "</div>\n</section>\n";
    return html;
}

std::string verdict_section(const properties::Result& result, const std::vector<const properties::Property*>& chosen) {
    std::string html =
        "<section id=\"verdicts\">\n<h2>Verdicts</h2>\n"
        "<p class=\"note\">Invariants must hold in every reachable state; eventually-properties at the end of every "
        "complete run. A violated property links to its shortest counterexample.</p>\n"
        "<table class=\"verdicts\">\n<thead><tr><th>Property</th><th>Kind</th><th>Verdict</th><th>Meaning</th>"
        "<th>B-items</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < chosen.size() && i < result.checks.size(); ++i) {
        const auto& c = result.checks[i];
        const std::string verdict(verdict_name(c.verdict));
        const std::string id = html_escape(c.id);
        const std::string name = c.trace ? fmt::format("<a href=\"#cx-{0}\">{0}</a>", id) : id;
        std::string meaning = html_escape(chosen[i]->meaning);
        if (c.verdict == Verdict::Unknown && !c.note.empty())
            meaning += fmt::format("<br><span class=\"note\">Why unknown: {}</span>", html_escape(c.note));
        html += fmt::format(
            "<tr class=\"property\" data-property=\"{0}\" data-verdict=\"{1}\"><td class=\"id\">{2}</td><td>{3}</td>"
            "<td class=\"verdict {1}\">{4} {1}</td><td>{5}</td><td class=\"items\">{6}</td></tr>\n",
            id, verdict, name, html_escape(properties::kind_name(c.kind)), html_escape(verdict_mark(c.verdict)), meaning,
            html_escape(chosen[i]->speaks_to));
    }
    html += "</tbody>\n</table>\n</section>\n";
    return html;
}

// The narrated trace, one block per line (long lines wrap under their own start), each kind of
// line styled: steps, what they changed, the violating state, the meaning.
std::string trace_block(const std::vector<std::string>& lines) {
    std::string html = "<div class=\"trace\">\n";
    bool in_state = false;
    for (const std::string& line : lines) {
        std::string cls = "state";
        if (line == "Violating state:") {
            cls = "heading";
            in_state = true;
        } else if (line.starts_with("Meaning:")) {
            cls = "meaning-line";
        } else if (line.starts_with("   changed:")) {
            cls = "changed";
        } else if (!in_state && !line.empty() && line[0] >= '0' && line[0] <= '9') {
            cls = "step";
        }
        html += fmt::format("<div class=\"{}\">{}</div>\n", cls, html_escape(line));
    }
    html += "</div>\n";
    return html;
}

std::string counterexample_section(const model::Config& config, const properties::Result& result,
                                   const std::vector<const properties::Property*>& chosen) {
    std::string html = "<section id=\"counterexamples\">\n<h2>Counterexamples</h2>\n";
    int shown = 0;
    for (std::size_t i = 0; i < chosen.size() && i < result.checks.size(); ++i) {
        const auto& c = result.checks[i];
        if (!c.trace) continue;
        ++shown;
        const std::string id = html_escape(c.id);
        html += fmt::format("<section class=\"counterexample\" id=\"cx-{0}\" data-property=\"{0}\">\n", id);
        html += fmt::format("<h3><span class=\"id\">{}</span>: violated</h3>\n", id);
        html += fmt::format("<p class=\"meaning\">{} <span class=\"note\">({}; speaks to {})</span></p>\n",
                            html_escape(chosen[i]->meaning), html_escape(properties::kind_name(c.kind)),
                            html_escape(chosen[i]->speaks_to));
        html += fmt::format("<p>Shortest counterexample: {} step(s).</p>\n", c.trace->actions.size());
        html += "<figure>\n<div class=\"diagram\">\n";
        html += inline_svg(pictures::trace_svg(config, *c.trace), fmt::format("d{}-", shown));
        html += "\n</div>\n<figcaption>Sequence diagram: one lifeline per component taking part; each arrow is "
                "numbered with its step; dashed arrows are knock-on effects within the same step.</figcaption>\n</figure>\n";
        html += "<h4>Narrated trace</h4>\n";
        html += trace_block(traces::counterexample_lines(config, *chosen[i], *c.trace));
        html += "</section>\n";
    }
    if (shown == 0)
        html += "<p>No property is violated: there is no counterexample to show.</p>\n";
    html += "</section>\n";
    return html;
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char ch : text) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += ch;
        }
    }
    return out;
}

namespace {

bool is_space(char ch) { return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t'; }

// Inserts `insert` after every occurrence of `needle`; with `at_word_start`, only after those
// that whitespace precedes (an attribute name, not the end of a longer one).
void insert_after(std::string& text, std::string_view needle, std::string_view insert, bool at_word_start) {
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        if (at_word_start && (at == 0 || !is_space(text[at - 1]))) continue;
        text.insert(at + needle.size(), insert);
        at += insert.size();
    }
}

}  // namespace

std::string inline_svg(std::string_view svg_document, std::string_view id_prefix) {
    const std::size_t start = svg_document.find("<svg");
    std::string svg(start == std::string_view::npos ? svg_document : svg_document.substr(start));
    while (!svg.empty() && is_space(svg.back())) svg.pop_back();
    // Namespace declarations on the root element: the HTML parser puts <svg> in the SVG namespace.
    std::size_t root_end = svg.find('>');
    for (std::size_t at = svg.find("xmlns"); at != std::string::npos && at < root_end; at = svg.find("xmlns", at)) {
        const std::size_t open = svg.find("=\"", at);
        const std::size_t close = open == std::string::npos ? open : svg.find('"', open + 2);
        if (at == 0 || !is_space(svg[at - 1]) || close == std::string::npos || close > root_end) {
            ++at;
            continue;
        }
        std::size_t from = at;
        while (from > 0 && is_space(svg[from - 1])) --from;
        svg.erase(from, close + 1 - from);
        root_end = svg.find('>');
        at = from;
    }
    insert_after(svg, "id=\"", id_prefix, true);
    insert_after(svg, "url(#", id_prefix, false);
    insert_after(svg, "href=\"#", id_prefix, false);  // href and xlink:href
    return svg;
}

std::string report_html(const model::Config& config, const properties::Result& result,
                        const std::vector<const properties::Property*>& chosen, const std::string& title,
                        const std::string& description) {
    int counts[3] = {0, 0, 0};
    for (const auto& c : result.checks) ++counts[static_cast<int>(c.verdict)];

    std::string html;
    html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    // Nothing may be fetched: the page is complete in itself, and a browser says so if it is not.
    html += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<meta name=\"generator\" content=\"alertflow report\">\n";
    html += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n", html_escape(title), kStyle);

    html += fmt::format("<header>\n<h1>{}</h1>\n", html_escape(title));
    if (!description.empty()) html += fmt::format("<p class=\"description\">{}</p>\n", html_escape(description));
    html += fmt::format(
        "<p class=\"summary\"><span class=\"badge holds\">{} hold</span><span class=\"badge violated\">{} violated</span>"
        "<span class=\"badge unknown\">{} unknown</span></p>\n",
        counts[0], counts[1], counts[2]);
    html += fmt::format("<p class=\"stats\">{}</p>\n", html_escape(stats_text(result.stats, config.scope.alerts)));
    if (!result.stats.complete)
        html += "<p class=\"stats\"><strong>The exploration is incomplete:</strong> unexplored states could hide a "
                "violation, so no property is reported as holding.</p>\n";
    html += "</header>\n";

    html += "<nav><a href=\"#configuration\">Configuration</a><a href=\"#verdicts\">Verdicts</a>"
            "<a href=\"#counterexamples\">Counterexamples</a>";
    for (const auto& c : result.checks)
        if (c.trace) html += fmt::format("<a href=\"#cx-{0}\" class=\"id\">{0}</a>", html_escape(c.id));
    html += "</nav>\n";

    html += config_section(config);
    html += verdict_section(result, chosen);
    html += counterexample_section(config, result, chosen);
    html += "<footer>Generated by <code>alertflow report</code>: every interleaving of the configured connectors, "
            "rules, syncs and analysts was explored; each counterexample is a shortest one.</footer>\n";
    html += "</main>\n</body>\n</html>\n";
    return html;
}

namespace {

// The file's `description:` free text, or "" (the model ignores it; the page shows it).
std::string description_of(const std::string& path) {
    try {
        const YAML::Node root = YAML::LoadFile(path);
        if (root.IsMap() && root["description"] && root["description"].IsScalar()) return root["description"].as<std::string>();
    } catch (const std::exception&) {
    }
    return "";
}

}  // namespace

int run_report(const ReportRequest& request, std::ostream& out, std::ostream& err) {
    model::Config config;
    std::vector<const properties::Property*> chosen;
    try {
        config = request.config_path ? load_config(*request.config_path) : model::recommended_config();
        chosen = choose_properties(request.property_ids);
    } catch (const std::runtime_error& e) {  // ConfigError: one line, nothing checked
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }
    std::ofstream file(request.output_path, std::ios::binary | std::ios::trunc);
    if (!file) {
        fmt::print(err, "alertflow: --output {}: cannot write file\n", request.output_path);
        return kBadInput;
    }
    const model::System system(config);
    checker::Options options;
    options.limits = request.limits;
    options.reductions.symmetry = true;  // verdicts and (lifted) shortest traces are the unreduced model's
    options.reductions.cutoff = true;    // and so are the cutoff's (carried onto the whole scope)
    const properties::Result result = properties::verify(system, chosen, options);
    const std::string name = request.config_path.value_or(kDefaultName);
    const std::string description = request.config_path ? description_of(*request.config_path) : kDefaultDescription;
    file << report_html(config, result, chosen, "alertflow report: " + name, description);
    file.close();
    if (!file) {
        fmt::print(err, "alertflow: --output {}: writing failed\n", request.output_path);
        return kBadInput;
    }
    int counts[3] = {0, 0, 0};
    for (const auto& c : result.checks) ++counts[static_cast<int>(c.verdict)];
    fmt::print(out, "wrote {}: {} hold, {} violated, {} unknown\n", request.output_path, counts[0], counts[1], counts[2]);
    const int code = exit_code_of(result);
    if (code == kIncomplete)
        fmt::print(err, "alertflow: exploration incomplete ({}): unexplored states could hide a violation\n",
                   result.stats.stop_reason);
    return code;
}

}  // namespace alertflow::cli
