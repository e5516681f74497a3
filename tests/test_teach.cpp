// The teaching commands: explain (narrated counterexample, why it fails, single-flip repairs
// checked by exploring), simulate (one random run, reproducible by seed) and tour (B1..B17).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "checker/replay.hpp"
#include "cli/commands.hpp"
#include "cli/config_yaml.hpp"
#include "cli/teach.hpp"
#include "properties/verify.hpp"

namespace {

namespace checker = alertflow::checker;
namespace cli = alertflow::cli;
namespace model = alertflow::model;
namespace properties = alertflow::properties;
using checker::Verdict;

const std::string kConfigs = std::string(ALERTFLOW_SOURCE_DIR) + "/configs";
const std::string kB12 = kConfigs + "/b12_xdr_connector_plus_rule.yaml";

struct Run {
    int code;
    std::string out, err;
};

Run explain(const std::optional<std::string>& path, const std::string& id) {
    cli::ExplainRequest request;
    request.config_path = path;
    request.property_id = id;
    std::ostringstream out, err;
    const int code = cli::run_explain(request, out, err);
    return {code, out.str(), err.str()};
}

Run simulate(const std::string& path, std::uint64_t seed, int steps) {
    cli::SimulateRequest request{path, seed, steps};
    std::ostringstream out, err;
    const int code = cli::run_simulate(request, out, err);
    return {code, out.str(), err.str()};
}

Run tour(const std::optional<std::string>& only, cli::TourFormat format = cli::TourFormat::Text,
         const std::string& dir = kConfigs) {
    cli::TourRequest request;
    request.configs_dir = dir;
    request.only = only;
    request.format = format;
    std::ostringstream out, err;
    const int code = cli::run_tour(request, out, err);
    return {code, out.str(), err.str()};
}

Run check(const std::string& path, const std::string& id) {
    cli::CheckRequest request;
    request.config_path = path;
    request.property_ids = {id};
    request.progress = cli::Progress::Never;
    std::ostringstream out, err;
    const int code = cli::run_check(request, out, err);
    return {code, out.str(), err.str()};
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
    std::vector<std::string> found;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(prefix)) found.push_back(line);
    return found;
}

// One sentence: "Step N. " then text with no ". X" (a second sentence) and a final '.'.
bool one_sentence(const std::string& line, std::size_t number) {
    const std::string prefix = "Step " + std::to_string(number) + ". ";
    if (!line.starts_with(prefix) || !line.ends_with('.')) return false;
    const std::string body = line.substr(prefix.size());
    for (std::size_t i = 0; i + 2 < body.size(); ++i)
        if (body[i] == '.' && body[i + 1] == ' ' && std::isupper(static_cast<unsigned char>(body[i + 2]))) return false;
    return std::isupper(static_cast<unsigned char>(body.front()));
}

// The file's text with one line replaced, written next to the other temporary files.
std::string with_line(const std::string& path, const std::string& from, const std::string& to, const std::string& name) {
    std::string text = cli::read_file(path);
    const auto at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, path << " has no line " << from);
    text.replace(at, from.size(), to);
    const auto file = std::filesystem::temp_directory_path() / ("alertflow_teach_" + std::to_string(getpid()) + "_" + name + ".yaml");
    std::ofstream(file) << text;
    return file.string();
}

const cli::FlipOutcome* outcome(const cli::Explanation& ex, const std::string& name) {
    for (const auto& o : ex.flips)
        if (o.flip.name == name) return &o;
    return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_teach)

// B12 at three alerts: without correlation one alert stands for all (the cutoff), the
// explanation says so, and its run is as short as at one alert.
BOOST_AUTO_TEST_CASE(explain_at_three_alerts_that_never_meet_rests_on_one_and_says_so) {
    const std::string three = with_line(kB12, "rules: {incident_creation: true}", "rules: {incident_creation: true}\nscope: {alerts: 3}",
                                        "b12_three");
    const Run r = explain(three, "no-duplicate-incident");
    const Run one = explain(kB12, "no-duplicate-incident");
    BOOST_TEST(r.code == cli::kViolated);
    BOOST_TEST(count(r.out, "one alert stands for all 3: without XDR correlation alerts never meet") == 1u);
    BOOST_TEST(count(one.out, "one alert stands for all") == 0u);
    BOOST_TEST(lines_starting(r.out, "Step ").size() == lines_starting(one.out, "Step ").size());
    std::filesystem::remove(three);
}

BOOST_AUTO_TEST_CASE(explain_b12_narrates_the_counterexample_and_finds_the_repairs_by_exploring) {
    const model::Config config = cli::load_config(kB12);
    const properties::Property& property = *properties::find("exactly-one-incident");
    const cli::Explanation ex = cli::explain(config, property);
    BOOST_TEST_REQUIRE((ex.verdict == Verdict::Violated));
    BOOST_TEST_REQUIRE(ex.trace.has_value());
    const std::size_t n = ex.trace->actions.size();
    BOOST_TEST(n >= 1u);

    // One sentence per step, in order.
    BOOST_TEST_REQUIRE(ex.steps.size() == n);
    for (std::size_t i = 0; i < n; ++i) BOOST_TEST(one_sentence(ex.steps[i], i + 1), ex.steps[i]);
    // Why it fails: a fact of the final state, which breaks the property there.
    BOOST_TEST(!property.holds(ex.trace->states.back()));
    BOOST_TEST_REQUIRE(!ex.facts.empty());
    BOOST_TEST(ex.facts.front().find("held by 2 incidents") != std::string::npos, ex.facts.front());

    // The repairs: switching off the rule and switching off the XDR connector both make it hold.
    const auto* rule = outcome(ex, "incident_creation_rule");
    const auto* xdr = outcome(ex, "xdr_connector");
    const auto* tenant = outcome(ex, "tenant_connector");
    BOOST_TEST_REQUIRE(rule != nullptr);
    BOOST_TEST_REQUIRE(xdr != nullptr);
    BOOST_TEST_REQUIRE(tenant != nullptr);
    BOOST_TEST((rule->verdict == Verdict::Holds));
    BOOST_TEST((xdr->verdict == Verdict::Holds));
    BOOST_TEST((tenant->verdict == Verdict::Violated));  // switching the tenant connector on repairs nothing
    BOOST_TEST(rule->flip.phrase == "switching off the incident creation rule");
    BOOST_TEST(rule->flip.config.rules.incident_creation == false);
    BOOST_TEST(xdr->flip.config.connectors.xdr.enabled == false);

    // Every flip is what the model says on the flipped configuration, explored independently.
    for (const auto& o : ex.flips) {
        const auto again = properties::verify(model::System(o.flip.config), {&property});
        BOOST_TEST((again.checks.front().verdict == o.verdict), o.flip.name);
    }
    // And what `check` says on the flipped configuration files.
    const std::string no_rule = with_line(kB12, "rules: {incident_creation: true}", "rules: {incident_creation: false}", "no_rule");
    const std::string no_xdr = with_line(kB12, "xdr: {enabled: true}", "xdr: {enabled: false}", "no_xdr");
    const std::string with_tenant = with_line(kB12, "tenant: {enabled: false}", "tenant: {enabled: true}", "with_tenant");
    BOOST_TEST(check(no_rule, "exactly-one-incident").code == cli::kAllHold);
    BOOST_TEST(check(no_xdr, "exactly-one-incident").code == cli::kAllHold);
    BOOST_TEST(check(with_tenant, "exactly-one-incident").code == cli::kViolated);
    for (const auto& f : {no_rule, no_xdr, with_tenant}) std::filesystem::remove(f);

    // The command: exit 1, the narration, why, and the repairs in words.
    const Run run = explain(kB12, "exactly-one-incident");
    BOOST_TEST(run.code == cli::kViolated);
    BOOST_TEST(run.err.empty());
    const auto steps = lines_starting(run.out, "Step ");
    BOOST_TEST_REQUIRE(steps.size() == n);
    for (std::size_t i = 0; i < n; ++i) BOOST_TEST(one_sentence(steps[i], i + 1), steps[i]);
    BOOST_TEST(run.out.find("Why it fails.") != std::string::npos);
    BOOST_TEST(run.out.find(ex.facts.front()) != std::string::npos);
    BOOST_TEST(run.out.find("Switching off the incident creation rule makes exactly-one-incident hold") != std::string::npos, run.out);
    BOOST_TEST(run.out.find("Switching off the XDR connector makes exactly-one-incident hold") != std::string::npos, run.out);
    BOOST_TEST(run.out.find("switching on the tenant-based connector") != std::string::npos);  // listed as leaving it violated
}

BOOST_AUTO_TEST_CASE(explain_says_when_no_single_flip_repairs_and_flips_faults_that_are_on) {
    // B17: the time-window rule misses the alert because of the StartTime fault; switching the
    // fault off is the one flip that repairs it.
    const model::Config config = cli::load_config(kConfigs + "/b17_start_time_skew.yaml");
    const auto ex = cli::explain(config, *properties::find("time-window-rule-sees-alert"));
    BOOST_TEST_REQUIRE((ex.verdict == Verdict::Violated));
    const auto* fault = outcome(ex, "faults.start_time_skew");
    BOOST_TEST_REQUIRE(fault != nullptr);
    BOOST_TEST((fault->verdict == Verdict::Holds));

    // B7 (tenant connector, XDR on No alerts, no rule): the output says "no single flip" exactly
    // when exploring finds none.
    const Run run = explain(kConfigs + "/b07_tenant_no_alerts.yaml", "no-lost-alert");
    BOOST_TEST(run.code == cli::kViolated);
    const auto b07 = cli::explain(cli::load_config(kConfigs + "/b07_tenant_no_alerts.yaml"), *properties::find("no-lost-alert"));
    const bool repaired = std::any_of(b07.flips.begin(), b07.flips.end(), [](const auto& o) { return o.verdict == Verdict::Holds; });
    BOOST_TEST((run.out.find("No single flip makes no-lost-alert hold") != std::string::npos) == !repaired, run.out);
}

BOOST_AUTO_TEST_CASE(explain_on_a_holding_property_exits_0) {
    const Run run = explain(kB12, "incident-has-alert");
    BOOST_TEST(run.code == cli::kAllHold);
    BOOST_TEST(run.out.find("The verdict: holds.") != std::string::npos, run.out);
    BOOST_TEST(lines_starting(run.out, "Step ").empty());
    const Run bundled = explain(std::nullopt, "exactly-one-incident");  // the report's recommended set-up
    BOOST_TEST(bundled.code == cli::kAllHold);

    // A limit hit before a verdict: unknown, exit 3, as `check`.
    cli::ExplainRequest limited;
    limited.config_path = kConfigs + "/b13_xdr_correlation.yaml";
    limited.property_id = "exactly-one-incident";
    limited.limits.max_states = 10;
    std::ostringstream out, err;
    BOOST_TEST(cli::run_explain(limited, out, err) == cli::kIncomplete);
    BOOST_TEST(out.str().find("The verdict: unknown.") != std::string::npos, out.str());
}

BOOST_AUTO_TEST_CASE(breaking_facts_name_what_breaks_each_catalog_property) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(kConfigs))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    for (const auto& p : properties::catalog()) {
        BOOST_TEST_CONTEXT(p.id) {
            bool found = false;
            for (const std::string& file : files) {
                const model::Config config = cli::load_config(file);
                const auto result = properties::verify(model::System(config), {&p});
                if (!result.checks.front().trace) continue;
                const auto& last = result.checks.front().trace->states.back();
                const auto facts = cli::breaking_facts(config, p, last);
                BOOST_TEST_REQUIRE(!facts.empty(), file);
                BOOST_TEST(facts.front().find("its condition is false") == std::string::npos, file << ": " << facts.front());
                found = true;
                break;
            }
            BOOST_TEST(found, "no bundled configuration violates " << p.id);
        }
    }
    // In a state where the property holds there is nothing to say.
    const model::System system(model::recommended_config());
    BOOST_TEST(cli::breaking_facts(system.config(), *properties::find("no-duplicate-rows"), system.initial_states().front()).empty());
}

BOOST_AUTO_TEST_CASE(sentences_introduce_each_component_where_it_first_acts) {
    const model::Config config = cli::load_config(kConfigs + "/b06_tenant_all_alerts_rule.yaml");
    const auto result = properties::verify(model::System(config), {properties::find("sentinel-close-reaches-mdc")});
    BOOST_TEST_REQUIRE(result.checks.front().trace.has_value());
    const auto steps = cli::narrate(config, *result.checks.front().trace);
    const std::string tenant_writes =
        "The tenant-based connector, which reads alerts from Defender XDR, writes alert A1 into the SecurityAlert table as New "
        "(row 1, with a security.microsoft.com link).";
    BOOST_TEST(std::any_of(steps.begin(), steps.end(), [&](const std::string& s) { return s.ends_with(tenant_writes); }));
    // Closing the rule's incident in Sentinel reaches nothing in MDC here (B6): the sentence says so.
    BOOST_TEST(steps.back().find("nothing syncs it back: alert A1 stays Active in Defender for Cloud") != std::string::npos, steps.back());
}

BOOST_AUTO_TEST_CASE(simulate_is_reproducible_by_seed_and_respects_steps) {
    const std::string all = kConfigs + "/all_connectors.yaml";
    const Run a = simulate(all, 42, 50), b = simulate(all, 42, 50);
    BOOST_TEST(a.code == cli::kAllHold);
    BOOST_TEST(a.out == b.out);
    BOOST_TEST(a.out.find("Seed 42") != std::string::npos);
    bool differs = false;
    for (std::uint64_t seed = 1; seed <= 8 && !differs; ++seed) differs = simulate(all, seed, 50).out != a.out;
    BOOST_TEST(differs);

    const Run short_run = simulate(all, 7, 3);
    BOOST_TEST(lines_starting(short_run.out, "Step ").size() == 3u);
    BOOST_TEST(short_run.out.find("stops after 3 steps") != std::string::npos, short_run.out);
    BOOST_TEST(short_run.out.find("not judged") != std::string::npos);  // the services still have work to do
    BOOST_TEST(lines_starting(simulate(all, 7, 0).out, "Step ").empty());

    // A run to its end: every step is one the model allows, and the end is labelled as such.
    const model::System system(cli::load_config(all));
    const cli::Simulation sim = cli::simulate(system, 5, 1000);
    BOOST_TEST(sim.dead_end);
    BOOST_TEST(sim.complete_run_end);
    const auto end = checker::replay(system, sim.run.actions);
    BOOST_TEST_REQUIRE(end.has_value());
    BOOST_TEST((*end == sim.run.states.back()));
    const Run full = simulate(all, 5, 1000);
    BOOST_TEST(lines_starting(full.out, "Step ").size() == sim.run.actions.size());
    BOOST_TEST(full.out.find("at this run's end: it is a complete-run end") != std::string::npos, full.out);
    BOOST_TEST(full.out.find("Invariants (must hold at every moment), in the final state:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tour_runs_all_17_behaviours_start_to_finish) {
    const auto stops = cli::tour_stops(kConfigs);
    BOOST_TEST_REQUIRE(stops.size() == 17u);
    for (std::size_t i = 0; i < stops.size(); ++i) {
        const cli::TourStop& stop = stops[i];
        BOOST_TEST_CONTEXT(stop.id) {
            BOOST_TEST(stop.id == "B" + std::to_string(i + 1));
            BOOST_TEST(stop.run.actions.size() >= 1u);
            BOOST_TEST(stop.steps.size() == stop.run.actions.size());
            BOOST_TEST(stop.mermaid.starts_with("sequenceDiagram"));
            BOOST_TEST(!stop.meaning.empty());
            BOOST_TEST(!stop.verdict_sentence.empty());
            // No property speaks to B16 (the links); no-duplicate-rows' run shows both links.
            const bool speaks = std::string(stop.property->speaks_to).find(stop.id) != std::string::npos;
            BOOST_TEST((speaks || stop.id == "B16"));
            // The run is one the model allows; a counterexample breaks its property where it ends.
            const model::System system(stop.run_config);
            const auto end = checker::replay(system, stop.run.actions);
            BOOST_TEST_REQUIRE(end.has_value());
            if (stop.situation.empty()) {
                BOOST_TEST((stop.verdict == Verdict::Violated));
                BOOST_TEST(!stop.property->holds(*end));
            } else {
                BOOST_TEST((stop.verdict == Verdict::Holds));
            }
        }
    }
    // B11 and B13, where every property holds, show the characteristic situation.
    BOOST_TEST(!stops[10].situation.empty());
    BOOST_TEST(!stops[12].situation.empty());

    const Run text = tour(std::nullopt);
    BOOST_TEST(text.code == cli::kAllHold);
    BOOST_TEST(count(text.out, "\n==== B") == 17u);
    BOOST_TEST(count(text.out, "sequenceDiagram") == 17u);
    BOOST_TEST(count(text.out, "\nExplanation. ") == 17u);
    const Run markdown = tour(std::nullopt, cli::TourFormat::Markdown);
    BOOST_TEST(markdown.code == cli::kAllHold);
    BOOST_TEST(count(markdown.out, "\n## B") == 17u);
    BOOST_TEST(count(markdown.out, "```mermaid\n") == 17u);

    const Run one = tour(std::string("B12"));
    BOOST_TEST(one.code == cli::kAllHold);
    BOOST_TEST(count(one.out, "\n==== B") == 1u);
    BOOST_TEST(one.out.find("==== B12.") != std::string::npos);
    BOOST_TEST(tour(std::string("b3")).out.find("==== B3.") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_input_exits_2_with_one_line) {
    const auto one_line = [](const Run& r) {
        return r.code == cli::kBadInput && r.out.empty() && r.err.starts_with("alertflow: ") && count(r.err, "\n") == 1u;
    };
    const Run unknown = explain(kB12, "exactly-one-incidnt");
    BOOST_TEST(one_line(unknown), unknown.err);
    BOOST_TEST(unknown.err.find("did you mean 'exactly-one-incident'") != std::string::npos);
    BOOST_TEST(one_line(explain(kB12, "")));
    const Run missing = explain(kConfigs + "/no_such_file.yaml", "exactly-one-incident");
    BOOST_TEST(one_line(missing), missing.err);
    BOOST_TEST(one_line(simulate(kConfigs + "/no_such_file.yaml", 1, 50)));
    BOOST_TEST(one_line(simulate(kB12, 1, -1)));
    const Run b99 = tour(std::string("B99"));
    BOOST_TEST(one_line(b99), b99.err);
    BOOST_TEST(b99.err.find("--only B99") != std::string::npos);
    BOOST_TEST(one_line(tour(std::nullopt, cli::TourFormat::Text, kConfigs + "/no_such_folder")));
}

BOOST_AUTO_TEST_SUITE_END()
