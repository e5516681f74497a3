#pragma once
// The alertflow subcommands, separated from argument parsing so tests can run them directly.
// Each returns the process exit code.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "checker/explore.hpp"

namespace alertflow::cli {

// Exit codes scripts can rely on.
enum ExitCode : int {
    kAllHold = 0,     // every checked property holds
    kViolated = 1,    // at least one property is violated (a counterexample is printed)
    kBadInput = 2,    // bad input or usage: nothing was checked
    kIncomplete = 3,  // a limit was hit before a verdict: some property is unknown, none violated
};

enum class Format { Text, Json, Mermaid, Dot, Svg };  // the last three: pictures of counterexamples
enum class Progress { Auto, Always, Never };  // Auto: only when stderr is a terminal

struct CheckRequest {
    std::optional<std::string> config_path;  // none: the bundled default (the report's recommendation)
    std::optional<std::string> from_arm;     // read the set-up from an ARM template / REST export instead
    std::optional<std::string> overlay;      // with from_arm: YAML for what a template cannot express
    std::vector<std::string> property_ids;   // none: the whole catalog
    Format format = Format::Text;
    checker::Limits limits;
    Progress progress = Progress::Auto;
    std::string output_dir = ".";  // --format svg writes <property-id>.svg here
    // Symmetry (one state per class of alike states), partial-order reduction (one order of
    // independent alerts' steps), slicing (no row writers when nothing reads the rows) and the
    // cutoff (one alert when alerts never meet): verdicts unchanged; counterexamples are real
    // runs, shortest unless partial-order reduction or, for eventually-properties, slicing is on.
    checker::Reductions reductions{true, true, true, true};
    unsigned threads = 0;  // 0: one per core
    checker::StoreMode store = checker::StoreMode::Exact;
};

int run_check(const CheckRequest& request, std::ostream& out, std::ostream& err);
int run_properties(Format format, std::ostream& out);

// The state diagram of one component, read from its Boost.MSM transition table.
int run_diagram(const std::string& component, Format format, std::ostream& out, std::ostream& err);

}  // namespace alertflow::cli
