// `alertflow report` (one self-contained HTML page) and `alertflow explore` (stepping through the
// model by hand), driven through their library entry points. The page in a real browser:
// tests/browser/check_report.sh; explore on a real terminal: tests/tui/drive_explore.py.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/config_yaml.hpp"
#include "cli/explore_tui.hpp"
#include "cli/report.hpp"
#include "cli/verdicts.hpp"
#include "model/system.hpp"
#include "properties/verify.hpp"
#include "traces/trace.hpp"

namespace {

namespace cli = alertflow::cli;
namespace model = alertflow::model;
namespace properties = alertflow::properties;
using alertflow::checker::Verdict;

std::string config_path(const std::string& name) { return std::string(ALERTFLOW_SOURCE_DIR) + "/configs/" + name; }

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

struct Checked {
    model::Config config;
    std::vector<const properties::Property*> chosen;
    properties::Result result;
};

Checked check(const model::Config& config) {
    Checked c{config, properties::whole_catalog(), {}};
    c.result = properties::verify(model::System(config), c.chosen);
    return c;
}

std::string page(const Checked& c, const std::string& title = "alertflow report: test", const std::string& description = "") {
    return cli::report_html(c.config, c.result, c.chosen, title, description);
}

// Every '<' in the page opens markup the page itself writes: a tag from this list, a closing tag,
// the doctype. A '<' that came from data unescaped would open something else (or nothing).
const std::set<std::string> kPageTags{
    "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "h3", "h4", "p", "span", "nav",
    "a", "section", "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "code", "br", "strong", "figure",
    "figcaption", "footer",
    // the diagrams
    "svg", "defs", "marker", "path", "rect", "text", "tspan", "line", "g", "polyline", "polygon", "circle"};

std::vector<std::string> stray_markup(const std::string& html) {
    std::vector<std::string> stray;
    for (auto at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
        if (html.compare(at, 9, "<!DOCTYPE") == 0) continue;
        std::size_t i = at + 1;
        if (i < html.size() && html[i] == '/') ++i;
        std::size_t end = i;
        while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
        const std::string name = html.substr(i, end - i);
        if (!kPageTags.contains(name)) stray.push_back(html.substr(at, 40));
    }
    return stray;
}

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("alertflow-test-" + std::to_string(getpid()) + "-" + name)).string();
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Run {
    int code;
    std::string out, err;
};

Run report(cli::ReportRequest request) {
    std::ostringstream out, err;
    const int code = cli::run_report(request, out, err);
    return {code, out.str(), err.str()};
}

Run explore(const std::string& script, std::optional<std::string> config = config_path("b12_xdr_connector_plus_rule.yaml")) {
    cli::ExploreRequest request;
    request.config_path = std::move(config);
    request.echo = true;
    std::istringstream in(script);
    std::ostringstream out, err;
    const int code = cli::run_explore(request, in, out, err);
    return {code, out.str(), err.str()};
}

// The part of the output after the last occurrence of `marker`.
std::string after_last(const std::string& text, const std::string& marker) {
    const auto at = text.rfind(marker);
    return at == std::string::npos ? "" : text.substr(at);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_report)

BOOST_AUTO_TEST_CASE(html_escape_escapes_the_five_special_characters) {
    BOOST_TEST(cli::html_escape("<a href=\"x\">Tom & Jerry's</a>") ==
               "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    BOOST_TEST(cli::html_escape("StartTime > ago(1h) and StartTime < now()") ==
               "StartTime &gt; ago(1h) and StartTime &lt; now()");
    BOOST_TEST(cli::html_escape("A1 \xe2\x9c\x93 plain") == "A1 \xe2\x9c\x93 plain");  // UTF-8 passes through
    BOOST_TEST(cli::html_escape("").empty());
}

BOOST_AUTO_TEST_CASE(inline_svg_drops_the_prolog_and_namespace_and_prefixes_ids) {
    const std::string doc =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\">\n"
        "  <defs><marker id=\"af-head\"/></defs>\n"
        "  <line marker-end=\"url(#af-head)\"/><use xlink:href=\"#af-head\"/><use href=\"#af-head\"/>\n"
        "</svg>\n";
    const std::string svg = cli::inline_svg(doc, "d7-");
    BOOST_TEST(svg.starts_with("<svg width=\"10\">"));
    BOOST_TEST(svg.ends_with("</svg>"));
    BOOST_TEST(!contains(svg, "<?xml"));
    BOOST_TEST(!contains(svg, "http://"));
    BOOST_TEST(contains(svg, "id=\"d7-af-head\""));
    BOOST_TEST(contains(svg, "url(#d7-af-head)"));
    BOOST_TEST(contains(svg, "xlink:href=\"#d7-af-head\""));
    BOOST_TEST(contains(svg, " href=\"#d7-af-head\""));
    BOOST_TEST(!contains(svg, "\"#af-head\""));
}

BOOST_AUTO_TEST_CASE(the_page_has_a_verdict_row_for_every_property) {
    const Checked c = check(cli::load_config(config_path("b12_xdr_connector_plus_rule.yaml")));
    const std::string html = page(c);
    BOOST_TEST(count(html, "<tr class=\"property\"") == properties::catalog().size());
    for (std::size_t i = 0; i < c.chosen.size(); ++i) {
        const auto& check = c.result.checks[i];
        const std::string row = "data-property=\"" + check.id + "\" data-verdict=\"" +
                                std::string(cli::verdict_name(check.verdict)) + "\"";
        BOOST_TEST(contains(html, row), row);
        BOOST_TEST(contains(html, cli::html_escape(c.chosen[i]->meaning)), check.id);
        BOOST_TEST(contains(html, "<td class=\"items\">" + std::string(c.chosen[i]->speaks_to) + "</td>"), check.id);
    }
    // The configuration: every YAML key, what differs from the default marked.
    BOOST_TEST(contains(html, "<caption>connectors</caption>"));
    BOOST_TEST(contains(html, "<code>subscription.bidirectional_sync</code>"));
    BOOST_TEST(contains(html, "<tr class=\"changed\"><th><code>xdr.enabled</code></th><td><code>true</code>"));
    BOOST_TEST(contains(html, "<caption>timing</caption>"));
    BOOST_TEST(contains(html, "<code>any-order</code>"));
}

BOOST_AUTO_TEST_CASE(every_violated_property_has_its_diagram_and_narrated_trace) {
    const Checked c = check(cli::load_config(config_path("b12_xdr_connector_plus_rule.yaml")));
    const std::string html = page(c);
    std::size_t violated = 0;
    for (std::size_t i = 0; i < c.chosen.size(); ++i) {
        const auto& check = c.result.checks[i];
        if (check.verdict != Verdict::Violated) continue;
        ++violated;
        const auto start = html.find("<section class=\"counterexample\" id=\"cx-" + check.id + "\"");
        BOOST_TEST_REQUIRE(start != std::string::npos, check.id);
        const std::string section = html.substr(start, html.find("</section>", start) - start);
        BOOST_TEST(count(section, "<svg ") == 1u, check.id);
        BOOST_TEST(count(section, "</svg>") == 1u, check.id);
        for (const std::string& line : alertflow::traces::counterexample_lines(c.config, *c.chosen[i], *check.trace))
            BOOST_TEST(contains(section, fmt::format(">{}</div>", cli::html_escape(line))), check.id << ": " << line);
        BOOST_TEST(contains(html, "href=\"#cx-" + check.id + "\""), check.id);  // linked from its row
    }
    BOOST_TEST(violated == 4u);  // exactly-one-incident, no-duplicate-incident, mdc-close..., status-converges
    BOOST_TEST(count(html, "<svg ") == violated);
    // Several diagrams on one page keep their marker ids apart.
    BOOST_TEST(contains(html, "id=\"d1-af-head\""));
    BOOST_TEST(contains(html, "id=\"d4-af-head\""));
    BOOST_TEST(!contains(html, "id=\"af-head\""));
}

BOOST_AUTO_TEST_CASE(data_is_escaped_and_no_stray_markup_is_left) {
    const Checked c = check(cli::load_config(config_path("b12_xdr_connector_plus_rule.yaml")));
    const std::string html = page(c, "<script>alert('title')</script> & co", "B12: \"two incidents\" <b>for one alert</b>");
    // A meaning with '<' and '>' in it (time-window-rule-sees-alert).
    BOOST_TEST(contains(html, "StartTime &gt; ago(1h) and StartTime &lt; now()"));
    BOOST_TEST(!contains(html, "StartTime < now()"));
    BOOST_TEST(contains(html, "<title>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; co</title>"));
    BOOST_TEST(contains(html, "B12: &quot;two incidents&quot; &lt;b&gt;for one alert&lt;/b&gt;"));
    BOOST_TEST(!contains(html, "<script"));
    BOOST_TEST(!contains(html, "<b>"));
    const std::vector<std::string> stray = stray_markup(html);
    BOOST_TEST(stray.empty(), "stray markup: " << (stray.empty() ? "" : stray.front()));
}

BOOST_AUTO_TEST_CASE(the_page_is_one_self_contained_file) {
    const Checked c = check(cli::load_config(config_path("b12_xdr_connector_plus_rule.yaml")));
    const std::string html = page(c);
    BOOST_TEST(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    BOOST_TEST(html.ends_with("</html>\n"));
    BOOST_TEST(count(html, "<html") == 1u);
    BOOST_TEST(count(html, "<style>") == 1u);
    BOOST_TEST(contains(html, "<meta charset=\"utf-8\">"));
    BOOST_TEST(contains(html, "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""));
    for (const char* outside : {"<script", "<link", "@import", "src=", "url(http", "http://", "https://", "<img", "<iframe"})
        BOOST_TEST(!contains(html, outside), outside);
    // Links stay inside the page.
    for (auto at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1))
        BOOST_TEST(html[at + 6] == '#', html.substr(at, 40));
}

BOOST_AUTO_TEST_CASE(a_page_where_everything_holds_has_no_diagram) {
    const Checked c = check(model::recommended_config());
    const std::string html = page(c);
    BOOST_TEST(count(html, "data-verdict=\"holds\"") == properties::catalog().size());
    BOOST_TEST(!contains(html, "<svg"));
    BOOST_TEST(contains(html, "No property is violated: there is no counterexample to show."));
    BOOST_TEST(contains(html, "<span class=\"badge holds\">11 hold</span>"));
}

BOOST_AUTO_TEST_CASE(run_report_writes_the_file_and_exits_as_check_does) {
    cli::ReportRequest b12;
    b12.config_path = config_path("b12_xdr_connector_plus_rule.yaml");
    b12.output_path = temp_path("b12.html");
    const Run violated = report(b12);
    BOOST_TEST(violated.code == cli::kViolated);
    BOOST_TEST(violated.out == "wrote " + b12.output_path + ": 7 hold, 4 violated, 0 unknown\n");
    BOOST_TEST(violated.err.empty());
    const std::string html = slurp(b12.output_path);
    BOOST_TEST(html.starts_with("<!DOCTYPE html>"));
    BOOST_TEST(count(html, "<svg ") == 4u);
    BOOST_TEST(contains(html, "<h1>alertflow report: " + cli::html_escape(*b12.config_path) + "</h1>"));
    BOOST_TEST(contains(html, "B12: keeping the incident creation rule"));  // the file's description
    std::filesystem::remove(b12.output_path);

    cli::ReportRequest bundled;
    bundled.output_path = temp_path("default.html");
    const Run holds = report(bundled);
    BOOST_TEST(holds.code == cli::kAllHold);
    BOOST_TEST(contains(slurp(bundled.output_path), "bundled default"));
    std::filesystem::remove(bundled.output_path);
}

// B12 at three alerts: alerts never meet without correlation, so the page rests on one alert,
// says so, and gives the verdicts of B12 at one alert.
BOOST_AUTO_TEST_CASE(run_report_says_when_one_alert_stood_for_all) {
    const std::string yaml = temp_path("b12-three.yaml");
    std::ofstream(yaml) << slurp(config_path("b12_xdr_connector_plus_rule.yaml")) << "scope: {alerts: 3}\n";
    cli::ReportRequest three;
    three.config_path = yaml;
    three.output_path = temp_path("b12-three.html");
    const Run r = report(three);
    BOOST_TEST(r.code == cli::kViolated);
    BOOST_TEST(r.out == "wrote " + three.output_path + ": 7 hold, 4 violated, 0 unknown\n");
    BOOST_TEST(contains(slurp(three.output_path), "One alert stood for all 3: without XDR correlation alerts never meet."));
    std::filesystem::remove(three.output_path);
    std::filesystem::remove(yaml);
}

BOOST_AUTO_TEST_CASE(run_report_chosen_properties_and_limits) {
    cli::ReportRequest one;
    one.config_path = config_path("b12_xdr_connector_plus_rule.yaml");
    one.output_path = temp_path("one.html");
    one.property_ids = {"no-lost-alert", "exactly-one-incident"};
    BOOST_TEST(report(one).code == cli::kViolated);
    const std::string html = slurp(one.output_path);
    BOOST_TEST(count(html, "<tr class=\"property\"") == 2u);
    BOOST_TEST(html.find("data-property=\"no-lost-alert\"") < html.find("data-property=\"exactly-one-incident\""));
    BOOST_TEST(count(html, "<svg ") == 1u);
    std::filesystem::remove(one.output_path);

    cli::ReportRequest limited;
    limited.config_path = config_path("all_connectors.yaml");
    limited.output_path = temp_path("limited.html");
    limited.limits.max_states = 10;  // below the first violation
    const Run r = report(limited);
    BOOST_TEST(r.code == cli::kIncomplete);
    BOOST_TEST(contains(r.err, "exploration incomplete"));
    const std::string partial = slurp(limited.output_path);  // written in this case too
    BOOST_TEST(contains(partial, "The exploration is incomplete"));
    BOOST_TEST(contains(partial, "Why unknown: state limit 10 reached"));
    BOOST_TEST(!contains(partial, "data-verdict=\"holds\""));
    std::filesystem::remove(limited.output_path);
}

BOOST_AUTO_TEST_CASE(run_report_bad_input_exits_2_and_writes_nothing) {
    cli::ReportRequest missing;
    missing.config_path = config_path("no_such_file.yaml");
    missing.output_path = temp_path("missing.html");
    const Run r = report(missing);
    BOOST_TEST(r.code == cli::kBadInput);
    BOOST_TEST(contains(r.err, "no_such_file.yaml"));
    BOOST_TEST(!std::filesystem::exists(missing.output_path));

    cli::ReportRequest typo;
    typo.output_path = temp_path("typo.html");
    typo.property_ids = {"exactly-one-incidnet"};
    const Run t = report(typo);
    BOOST_TEST(t.code == cli::kBadInput);
    BOOST_TEST(contains(t.err, "did you mean 'exactly-one-incident'?"));
    BOOST_TEST(!std::filesystem::exists(typo.output_path));

    cli::ReportRequest unwritable;
    unwritable.output_path = temp_path("no-such-dir") + "/report.html";
    const Run u = report(unwritable);
    BOOST_TEST(u.code == cli::kBadInput);
    BOOST_TEST(contains(u.err, "cannot write file"));
}

BOOST_AUTO_TEST_CASE(explore_take_undo_jump_quit) {
    const Run r = explore("1\nu\nv\n1\nq\n");
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.err.empty());
    // The start: the set-up, one action enabled (raise A1), marked optional.
    BOOST_TEST(r.out.starts_with("alertflow explore " + config_path("b12_xdr_connector_plus_rule.yaml") + "\n"));
    BOOST_TEST(contains(r.out, "State after 0 step(s):\n  subscription S1: exists, covered by the subscription connector\n"
                               "  alert A1: not raised\n  no Sentinel incident\n"));
    BOOST_TEST(contains(r.out, "Enabled actions:\n  1. Defender for Cloud raises alert A1 in subscription S1 (optional)\n"));
    // 1: the step taken, what it changed, the new state and its actions.
    BOOST_TEST(contains(r.out, "explore> 1\n1. Defender for Cloud raises alert A1 in subscription S1\n   changed: "));
    BOOST_TEST(contains(r.out, "State after 1 step(s):"));
    BOOST_TEST(contains(r.out, "  3. subscription connector forwards alert A1 as New: SecurityAlert row 1, link portal.azure.com\n"));
    // u: back to the set-up.
    BOOST_TEST(contains(r.out, "explore> u\nundid step 1: Defender for Cloud raises alert A1 in subscription S1\n\nState after 0 step(s):"));
    // v: the checker runs once, lists the violations, the pick replays the first one.
    BOOST_TEST(count(r.out, "Checking every property over the whole model...") == 1u);
    BOOST_TEST(contains(r.out, "  1. exactly-one-incident (5 step(s)): Every MDC alert"));
    BOOST_TEST(contains(r.out, "  2. no-duplicate-incident (5 step(s)):"));
    BOOST_TEST(contains(r.out, "violation> 1\nReplaying the shortest counterexample of exactly-one-incident from the set-up, 5 step(s):\n"));
    BOOST_TEST(contains(r.out, "exactly-one-incident is violated when the run ends here: "));
    const std::string last = after_last(r.out, "State after ");
    BOOST_TEST(last.starts_with("State after 5 step(s):"));
    BOOST_TEST(contains(last, "  the Azure Sentinel incident for A1 (incident creation rule): New\n"));
    BOOST_TEST(contains(last, "  the Microsoft Defender XDR incident for A1 (XDR connector): New\n"));
    BOOST_TEST(contains(last, "Violated if the run ends here: exactly-one-incident (eventually)"));
    BOOST_TEST(contains(last, "Violated here: no-duplicate-incident (invariant)"));
    BOOST_TEST(r.out.ends_with("explore> q\nbye\n"));
}

BOOST_AUTO_TEST_CASE(explore_jump_keeps_the_counterexample_as_undo_history) {
    const Run r = explore("v no-duplicate-incident\np\nu\nu\nv 1\nq\n");
    BOOST_TEST(r.code == 0);
    // The path after the jump is the checker's shortest counterexample, step for step.
    const model::Config config = cli::load_config(config_path("b12_xdr_connector_plus_rule.yaml"));
    const Checked c = check(config);
    const auto& trace = *c.result.checks[2].trace;  // no-duplicate-incident
    BOOST_TEST_REQUIRE(c.result.checks[2].id == "no-duplicate-incident");
    std::string expected = "Path so far, " + std::to_string(trace.actions.size()) + " step(s):\n";
    for (const std::string& line : alertflow::traces::numbered_steps(config, trace)) expected += "  " + line + "\n";
    BOOST_TEST(contains(r.out, "explore> p\n" + expected));
    BOOST_TEST(contains(r.out, "no-duplicate-incident is violated in this state: "));
    // u walks back through it.
    BOOST_TEST(contains(r.out, "undid step 5: incident creation rule creates the Azure Sentinel incident for A1"));
    BOOST_TEST(contains(r.out, "undid step 4: XDR connector creates the Microsoft Defender XDR incident for A1"));
    BOOST_TEST(contains(r.out, "State after 3 step(s):"));
    // The checker ran once; `v 1` jumps without the list.
    BOOST_TEST(count(r.out, "Checking every property over the whole model...") == 1u);
    BOOST_TEST(count(r.out, "Violated properties (shortest counterexample):") == 0u);
    BOOST_TEST(contains(r.out, "explore> v 1\nReplaying the shortest counterexample of exactly-one-incident"));
}

BOOST_AUTO_TEST_CASE(explore_answers_mistakes_and_ends_cleanly_at_end_of_input) {
    const Run r = explore("\n7\nu\nx\nv nope\nv\n\nh\n");  // no q: the input just ends
    BOOST_TEST(r.code == 0);
    BOOST_TEST(contains(r.out, "explore> 7\nno action 7: pick 1..1\n"));
    BOOST_TEST(contains(r.out, "explore> u\nnothing to undo: this is the set-up\n"));
    BOOST_TEST(contains(r.out, "explore> x\nunknown command 'x' (h for help)\n"));
    BOOST_TEST(contains(r.out, "explore> v nope\nChecking every property"));
    BOOST_TEST(contains(r.out, "no violated property 'nope': pick 1..4 or one of the ids listed by v\n"));
    BOOST_TEST(contains(r.out, "violation> \ncancelled\n"));
    BOOST_TEST(contains(r.out, "explore> h\nCommands:\n"));
    BOOST_TEST(r.out.ends_with("explore> \n"));  // EOF finishes the prompt's line
}

BOOST_AUTO_TEST_CASE(explore_on_the_bundled_default_finds_no_violation) {
    const Run r = explore("v\nq\n", std::nullopt);
    BOOST_TEST(r.code == 0);
    BOOST_TEST(contains(r.out, "alertflow explore (bundled default"));
    BOOST_TEST(contains(r.out, "No property is violated in this configuration.\n"));
}

BOOST_AUTO_TEST_CASE(explore_rejects_a_bad_configuration) {
    const Run r = explore("q\n", config_path("no_such_file.yaml"));
    BOOST_TEST(r.code == cli::kBadInput);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(contains(r.err, "no_such_file.yaml"));
}

BOOST_AUTO_TEST_SUITE_END()
