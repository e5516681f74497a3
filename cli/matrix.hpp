#pragma once
// `alertflow matrix`: every combination of the configuration knobs, each checked against the
// chosen properties in one exploration, as a table (a row per configuration, a column per
// property); `--require` narrows it to the configurations where the required properties hold,
// simplest first. `alertflow diff`: which verdicts a configuration change flips, with the
// shortest counterexample for each property it breaks.

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/explore.hpp"
#include "cli/commands.hpp"
#include "cli/config_yaml.hpp"
#include "cli/verdicts.hpp"
#include "model/config.hpp"
#include "properties/verify.hpp"

namespace alertflow::cli {

// ---------------------------------------------------------------- option strings

// "alerts=2,subscriptions=2,late=1" (keys alerts, subscriptions, late or late_subscriptions;
// any subset, each at most once) applied over `base`, then range-checked as the YAML loader
// does. Throws ConfigError, one line starting "--scope".
model::ScopeConfig parse_scope(const std::string& text, model::ScopeConfig base);

// "tenant_duplicates,xdr_correlation": exactly these fault switches on; "all" or "none".
// Throws ConfigError, one line starting "--faults".
model::FaultsConfig parse_faults(const std::string& text);

// ---------------------------------------------------------------- the knobs

// The configuration knobs a sweep enumerates, named as in DOMAIN.md, in enumeration order (the
// first varies slowest). Each has two values, enumerated in this order: false then true, or for
// xdr_mdc_alerts all then none.
struct Knob {
    std::string_view name;                  // "subscription_sync"
    std::string_view key;                   // its YAML key: "connectors.subscription.bidirectional_sync"
    std::array<std::string_view, 2> values; // as spelled in YAML, in enumeration order
    bool component;                         // a component switched on or off (counts for "simplest")
    int (*get)(const model::Config&);       // index into values
    void (*set)(model::Config&, int);
    // False where the knob changes nothing: subscription_sync and new_subscription_policy while
    // subscription_connector is off (the connector covers no subscription, so neither can act).
    bool (*applies)(const model::Config&);
};
const std::vector<Knob>& knobs();

// How many components are switched on: subscription_connector, tenant_connector, xdr_connector,
// incident_creation_rule, automation_close.
int components_on(const model::Config& config);

// The configuration in the knobs' names: the knobs switched on, in knob order, then
// "xdr_mdc_alerts=none" if so, then `extra_keys` (YAML key paths) as key=value.
// "(nothing switched on)" when that says nothing.
std::string describe_knobs(const model::Config& config, const std::vector<std::string>& extra_keys = {});

// ---------------------------------------------------------------- the sweep

inline constexpr std::size_t kMaxSweep = 4096;  // combinations, before equivalent ones are removed

struct Sweep {
    std::vector<model::Config> configs;       // enumeration order; equivalent combinations removed
    std::size_t combinations = 0;             // every combination enumerated
    std::size_t unused_knobs_skipped = 0;     // differing only in knobs that do not apply
    std::size_t identical_skipped = 0;        // the very same configuration again (e.g. --scope over a scope list)
    std::vector<std::string> varying_keys;    // YAML keys other than the knobs' that differ between configs
};

// The configurations a sweep checks.
//   sweep_path: a YAML file with the keys of a configuration file, where any key may instead hold
//     a list of values, meaning "try each". Lists are expanded into single-valued YAML texts with
//     the same line numbers (the list is replaced by one value on its key's line), and each text
//     is read by parse_config, so every check and every message is the configuration loader's.
//     A knob the file leaves out is enumerated over both its values; a knob given one value is
//     fixed. Without a file: every knob enumerated, every other key at its default.
//   scope_text / faults_text: --scope and --faults, applied over each configuration.
// Configurations that differ only in knobs that do not apply are enumerated once (the first).
// Throws ConfigError.
Sweep expand_sweep(const std::optional<std::string>& sweep_path, const std::optional<std::string>& scope_text,
                   const std::optional<std::string>& faults_text);

// One exploration per configuration, all chosen properties at once, on `threads` threads (0: one
// per core); each configuration gets its own System and limits. Results are in the order of
// `configs` whatever the scheduling. Without keep_traces counterexamples are dropped as soon as
// each exploration ends.
std::vector<properties::Result> verify_each(const std::vector<model::Config>& configs,
                                            const std::vector<const properties::Property*>& chosen,
                                            const checker::Limits& limits, unsigned threads, bool keep_traces,
                                            checker::Reductions reductions = {true, true, true, true});

unsigned default_threads();  // std::thread::hardware_concurrency(), at least 1

// ---------------------------------------------------------------- alertflow matrix

enum class MatrixFormat { Text, Markdown, Csv, Json };

struct MatrixRequest {
    std::optional<std::string> sweep_path;   // YAML sweep file (lists mean "try each"); none: defaults
    std::optional<std::string> scope;        // --scope "alerts=2,subscriptions=2,late=1"
    std::optional<std::string> faults;       // --faults "tenant_duplicates,xdr_correlation" | all | none
    std::vector<std::string> property_ids;   // columns (commas allowed); none: the whole catalog
    std::vector<std::string> require_ids;    // --require (commas allowed); none: no narrowing
    MatrixFormat format = MatrixFormat::Text;
    checker::Limits limits;                  // per configuration (max_memory_bytes: the whole process)
    unsigned threads = 0;                    // 0: std::thread::hardware_concurrency()
    checker::Reductions reductions{true, true, true, true};  // symmetry, partial-order reduction, slicing, cutoff (verdicts unchanged)
};

// Exit codes. Without --require: 0, or 3 if some verdict is unknown. With --require: 0 when at
// least one configuration qualifies, 1 when none does, 3 when some configuration is undecided
// (no required property violated, one unknown), since it might qualify. 2: bad input.
int run_matrix(const MatrixRequest& request, std::ostream& out, std::ostream& err);

// ---------------------------------------------------------------- alertflow diff

struct DiffRequest {
    std::string before, after;              // configuration files
    std::vector<std::string> property_ids;  // none: the whole catalog
    Format format = Format::Text;
    checker::Limits limits;                 // per configuration
    checker::Reductions reductions{true, true, true, true};
};

// Exit codes: 1 when the change breaks a property (holds before, violated after); otherwise 3
// when an unknown verdict could hide such a break; otherwise 0. 2: bad input.
int run_diff(const DiffRequest& request, std::ostream& out, std::ostream& err);

}  // namespace alertflow::cli
