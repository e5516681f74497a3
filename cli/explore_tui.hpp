#pragma once
// `alertflow explore`: step through the model by hand, in the domain's words.
//
// It shows the current state (traces::describe_state) and the enabled actions, numbered, each
// described by the step it would make (traces::describe_step), then reads one command a line:
//
//   N        take action N            u        undo the last step
//   v        list the properties the whole model violates, then pick one (number or id) to
//            replay its shortest counterexample from the start to the violating state
//   v N|ID   the same without the list
//   p        the path so far, numbered as in a counterexample, with what each step changed
//   s        show the current state again          h, ?     help
//   q        quit (end of input quits too)
//
// Plain line-oriented text: it works on a terminal and on a pipe alike (no curses). After a jump
// the path is the counterexample, so `u` walks back through it one step at a time.
#include <iosfwd>
#include <optional>
#include <string>

#include "checker/explore.hpp"

namespace alertflow::cli {

struct ExploreRequest {
    std::optional<std::string> config_path;  // none: the bundled default (the report's recommendation)
    checker::Limits limits;                  // for the one exploration `v` runs (lazily, on first use)
    bool echo = false;                       // write each command read after its prompt (for a pipe; a terminal echoes itself)
};

// Returns 0 when the user quits or the input ends; 2 (nothing shown) for a bad configuration.
int run_explore(const ExploreRequest& request, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace alertflow::cli
