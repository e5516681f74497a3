#pragma once
// Teaching commands: the model's runs told as full sentences a SOC engineer learns from.
//
//   alertflow explain CONFIG --property ID   the shortest counterexample, step by step, why the
//                                            property fails, and which single setting repairs it
//                                            (each knob flipped and the model explored again)
//   alertflow simulate CONFIG [--seed N] [--steps K]
//                                            one random run, reproducible by its seed
//   alertflow tour [--only Bn] [--format text|markdown] [--configs DIR]
//                                            the field report's behaviours B1..B17, each with its
//                                            configuration, the run that shows it, a diagram and
//                                            the catalog's word on it
//
// Every sentence is built from the step's action, the states before and after it, and
// traces::changed_fields; every repair is found by exploring, never written by hand.
// Split over teach.cpp (words, sentences), teach_facts.cpp (set-up, what breaks a property),
// explain.cpp, simulate.cpp and tour.cpp.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "checker/explore.hpp"
#include "model/system.hpp"
#include "properties/verify.hpp"

namespace alertflow::cli {

// ---------------------------------------------------------------- words (teach.cpp)

std::string capitalised(std::string text);                    // first letter upper case
std::string and_list(const std::vector<std::string>& items);  // "a", "a and b", "a, b and c"
// A component by the name model::actor() gives it: "tenant connector" -> "the tenant-based connector".
std::string component_name(std::string_view actor);

// ---------------------------------------------------------------- sentences (teach.cpp)

// Tells a run step by step. The first time a component acts it is introduced with what it does
// ("The tenant-based connector, which reads alerts from Defender XDR, writes ..."); after that,
// and in the knock-on clauses of a step, it is just named. One Narrator per run; `config` must
// outlive it.
class Narrator {
public:
    explicit Narrator(const model::Config& config) : config_(config) {}

    // One sentence, without the "Step N. " prefix, ending with '.'.
    std::string sentence(const model::State& before, const model::Action& action, const model::State& after);

    // A component's name, with its introduction the first time: "the tenant-based connector, which
    // reads alerts from Defender XDR," then "the tenant-based connector". `actor` is model::actor().
    std::string name(std::string_view actor);

private:
    const model::Config& config_;
    std::set<std::string, std::less<>> introduced_;
};

// "Step 1. ...", one line (one sentence) per action of the trace.
std::vector<std::string> narrate(const model::Config& config, const properties::Trace& trace);

// ---------------------------------------------------------------- set-up and facts (teach_facts.cpp)

// The configuration in a few sentences: which connectors and rules are on, XDR's setting, the
// scope, the faults that are on.
std::string setup_sentences(const model::Config& config);

// The facts of `state` that make `property` false, one sentence each ("alert A1 is held by 2
// incidents that are not Redirected: ..."). Empty when the property holds in `state`.
std::vector<std::string> breaking_facts(const model::Config& config, const properties::Property& property,
                                        const model::State& state);

// ---------------------------------------------------------------- alertflow explain (explain.cpp)

// One setting changed on its own: a knob of the matrix (cli::knobs()) that applies, or a fault
// switch that is on, switched off.
struct Flip {
    std::string name;    // the knob's name ("incident_creation_rule") or "faults.<switch>"
    std::string phrase;  // "switching off the incident creation rule"
    model::Config config;
};

// Every single flip of `config`, knobs in matrix order, then the faults that are on.
std::vector<Flip> single_flips(const model::Config& config);

struct FlipOutcome {
    Flip flip;
    checker::Verdict verdict{};              // of the explained property on the flipped configuration
    std::vector<std::string> newly_violated;  // catalog properties that held before and are violated after
    std::uint64_t states = 0;                 // explored on the flipped configuration
};

struct Explanation {
    const properties::Property* property = nullptr;
    checker::Verdict verdict{};
    std::string note;                          // why Unknown
    std::optional<properties::Trace> trace;    // the shortest counterexample, when violated
    checker::Stats stats;
    std::vector<std::string> steps;            // narrate(trace)
    std::vector<std::string> facts;            // breaking_facts of the trace's last state
    std::vector<FlipOutcome> flips;            // every single flip, explored (only when violated)
};

// Explores `config` (the whole catalog, `property` first), and when `property` is violated every
// single flip of it, on `threads` threads (0: one per core). `symmetry`: store one state per class
// of interchangeable alerts (same verdicts, lifted counterexamples), as `check` does by default.
Explanation explain(const model::Config& config, const properties::Property& property,
                    const checker::Limits& limits = {}, unsigned threads = 0, bool symmetry = true);

struct ExplainRequest {
    std::optional<std::string> config_path;  // none: the bundled default (the report's recommendation)
    std::string property_id;
    checker::Limits limits;                  // per exploration
    unsigned threads = 0;                    // for the flips; 0: one per core
    bool symmetry = true;                    // --no-symmetry turns it off
};

// Exit codes as `check`: 0 holds, 1 violated, 2 bad input, 3 unknown.
int run_explain(const ExplainRequest& request, std::ostream& out, std::ostream& err);

// ---------------------------------------------------------------- alertflow simulate (simulate.cpp)

struct SimulateRequest {
    std::optional<std::string> config_path;  // none: the bundled default
    std::uint64_t seed = 1;
    int steps = 50;                          // at most this many steps
};

// One run, each step chosen uniformly among the enabled actions by std::mt19937_64(seed).
struct Simulation {
    properties::Trace run;
    bool complete_run_end = false;  // no fair action is enabled in the last state
    bool dead_end = false;          // no action at all is enabled in the last state
};
Simulation simulate(const model::System& system, std::uint64_t seed, int steps);

// Exit codes: 0 the run was told, 2 bad input. A random run proves nothing, so a property it
// breaks does not change the exit code (`explain` and `check` judge properties).
int run_simulate(const SimulateRequest& request, std::ostream& out, std::ostream& err);

// ---------------------------------------------------------------- alertflow tour (tour.cpp)

// Where the tour looks for configs/bNN_*.yaml by default: the compile definition
// ALERTFLOW_CONFIGS_DIR, else ALERTFLOW_SOURCE_DIR "/configs", else "configs".
std::string default_configs_dir();

enum class TourFormat { Text, Markdown };

struct TourRequest {
    std::string configs_dir = default_configs_dir();
    std::optional<std::string> only;  // "B12" (also "b12", "12"): just that behaviour
    TourFormat format = TourFormat::Text;
};

// One stop of the tour: a behaviour of the report, shown on the model.
struct TourStop {
    std::string id;             // "B12"
    std::string behaviour;      // what the report observed
    std::string config_path;
    model::Config config;
    const properties::Property* property = nullptr;  // the property that speaks to it most directly
    checker::Verdict verdict{};                      // of that property under the configuration
    std::string situation;      // when the run is not a counterexample: the situation it reaches
    std::string narrowing;      // "" or how the run's configuration narrows `config` to show the behaviour
    model::Config run_config;   // the configuration the run is on: `config`, or narrowed
    properties::Trace run;      // the shortest counterexample, or the shortest run to the situation
    std::vector<std::string> steps;  // narrate(run)
    std::string mermaid;             // pictures::trace_mermaid(run)
    std::string meaning;             // first sentence of the explanation (from the catalog)
    std::string verdict_sentence;    // second sentence
};

// The stops, B1..B17 (or the one asked for). Throws ConfigError (one line) for an unknown
// --only, a configs folder without the bNN file, or a configuration that does not load.
std::vector<TourStop> tour_stops(const std::string& configs_dir, const std::optional<std::string>& only = std::nullopt);

// Exit codes: 0 every stop shown, 2 bad input, 1 a behaviour the model no longer shows (a stop
// without a run).
int run_tour(const TourRequest& request, std::ostream& out, std::ostream& err);

}  // namespace alertflow::cli
