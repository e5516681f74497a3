#include "cli/explore_tui.hpp"

#include <charconv>
#include <istream>
#include <ostream>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/config_yaml.hpp"
#include "cli/verdicts.hpp"
#include "model/system.hpp"
#include "properties/verify.hpp"
#include "traces/changes.hpp"
#include "traces/narrate.hpp"
#include "traces/trace.hpp"

namespace alertflow::cli {

namespace {

using checker::Verdict;

constexpr const char* kPrompt = "explore> ";
constexpr const char* kPickPrompt = "violation> ";

constexpr const char* kHelp =
    "Commands:\n"
    "  N        take enabled action number N\n"
    "  u        undo the last step\n"
    "  v        list the properties this configuration violates and pick one (number or id):\n"
    "           its shortest counterexample is replayed from the start up to the violating state\n"
    "  v N|ID   jump to that violation directly\n"
    "  p        the path so far, step by step, with what each step changed\n"
    "  s        show the current state and the enabled actions again\n"
    "  h, ?     this help\n"
    "  q        quit (so does the end of input, Ctrl-D on a terminal)\n"
    "Actions marked (optional) are the environment's, an analyst's or a fault's: a run may end without\n"
    "them. The others are the services' own work, which eventually happens while it stays possible.\n";

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return "";
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

std::optional<int> parse_number(std::string_view s) {
    int value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

class Session {
public:
    Session(const ExploreRequest& request, model::Config config, std::string name, std::istream& in, std::ostream& out)
        : request_(request), config_(config), system_(config), name_(std::move(name)), in_(in), out_(out) {
        path_.states.push_back(system_.initial_states().front());
    }

    int run() {
        fmt::print(out_, "alertflow explore {}\n", name_);
        fmt::print(out_, "Step through the model by hand: type an action's number. h for help, q to quit.\n");
        show();
        std::string line;
        while (read_line(kPrompt, line)) {
            const std::string command = trim(line);
            if (command.empty()) continue;
            if (command == "q" || command == "quit" || command == "exit") {
                fmt::print(out_, "bye\n");
                return kAllHold;
            }
            dispatch(command);
        }
        fmt::print(out_, "\n");  // end of input: finish the prompt's line
        return kAllHold;
    }

private:
    const model::State& current() const { return path_.states.back(); }
    int steps() const { return static_cast<int>(path_.actions.size()); }

    bool read_line(const char* prompt, std::string& line) {
        out_ << prompt << std::flush;
        if (!std::getline(in_, line)) return false;
        if (request_.echo) out_ << line << '\n';
        return true;
    }

    void dispatch(const std::string& command) {
        if (command == "h" || command == "?" || command == "help") {
            out_ << kHelp;
        } else if (command == "u") {
            undo();
        } else if (command == "p") {
            print_path();
        } else if (command == "s") {
            show();
        } else if (command == "v" || command.starts_with("v ")) {
            jump_to_violation(trim(std::string_view(command).substr(1)));
        } else if (const auto n = parse_number(command)) {
            take(*n);
        } else {
            fmt::print(out_, "unknown command '{}' (h for help)\n", command);
        }
    }

    std::vector<model::Action> enabled() const {
        model::ActionList list;
        system_.enabled_actions(current(), list);
        return {list.begin(), list.end()};
    }

    // The current state, what a property says about it, and the enabled actions, numbered.
    void show() {
        fmt::print(out_, "\nState after {} step(s):\n", steps());
        for (const std::string& line : traces::describe_state(config_, current())) fmt::print(out_, "  {}\n", line);
        const std::vector<model::Action> actions = enabled();
        bool run_may_end = true;
        for (const model::Action& a : actions) run_may_end &= !system_.is_fair(a);
        for (const properties::Property& p : properties::catalog()) {
            if (p.holds(current())) continue;
            if (p.kind == checker::PropertyKind::Invariant)
                fmt::print(out_, "Violated here: {} (invariant): {}\n", p.id, p.meaning);
            else if (run_may_end)
                fmt::print(out_, "Violated if the run ends here: {} (eventually): {}\n", p.id, p.meaning);
        }
        if (actions.empty()) {
            fmt::print(out_, "No action is enabled: the run is over. u undoes, v jumps to a violation, q quits.\n");
            return;
        }
        if (run_may_end)
            fmt::print(out_, "The connectors, rules and syncs have nothing left to do: a complete run may end here.\n");
        fmt::print(out_, "Enabled actions:\n");
        for (std::size_t i = 0; i < actions.size(); ++i) {
            const model::State next = system_.apply(current(), actions[i]);
            fmt::print(out_, "  {}. {}{}\n", i + 1, traces::describe_step(current(), actions[i], next),
                       system_.is_fair(actions[i]) ? "" : " (optional)");
        }
    }

    void print_step(int number, const model::State& before, const model::Action& action, const model::State& after) {
        fmt::print(out_, "{}. {}\n", number, traces::describe_step(before, action, after));
        std::vector<std::string> changes;
        for (const traces::FieldChange& c : traces::changed_fields(config_, before, after)) changes.push_back(traces::describe_change(c));
        if (!changes.empty()) fmt::print(out_, "   changed: {}\n", fmt::join(changes, "; "));
    }

    void take(int number) {
        const std::vector<model::Action> actions = enabled();
        if (actions.empty()) {
            fmt::print(out_, "no action is enabled here (u undoes, v jumps to a violation)\n");
            return;
        }
        if (number < 1 || number > static_cast<int>(actions.size())) {
            fmt::print(out_, "no action {}: pick 1..{}\n", number, actions.size());
            return;
        }
        const model::Action action = actions[static_cast<std::size_t>(number - 1)];
        const model::State next = system_.apply(current(), action);
        print_step(steps() + 1, current(), action, next);
        path_.actions.push_back(action);
        path_.states.push_back(next);
        show();
    }

    void undo() {
        if (path_.actions.empty()) {
            fmt::print(out_, "nothing to undo: this is the set-up\n");
            return;
        }
        fmt::print(out_, "undid step {}: {}\n", steps(),
                   traces::describe_step(path_.states[path_.states.size() - 2], path_.actions.back(), current()));
        path_.actions.pop_back();
        path_.states.pop_back();
        show();
    }

    void print_path() {
        fmt::print(out_, "Path so far, {} step(s):\n", steps());
        for (const std::string& line : traces::numbered_steps(config_, path_)) fmt::print(out_, "  {}\n", line);
    }

    // The checker runs once, on first use, over the whole catalog.
    const properties::Result& verdicts() {
        if (!verdicts_) {
            fmt::print(out_, "Checking every property over the whole model...\n");
            const model::System system(config_);
            checker::Options options;
            options.limits = request_.limits;
            options.reductions.symmetry = true;  // counterexamples come back lifted onto the unreduced model
            verdicts_ = properties::verify(system, properties::whole_catalog(), options);
            const auto& s = verdicts_->stats;
            fmt::print(out_, "explored {} states, {} transitions{}\n", s.states, s.transitions,
                       s.complete ? "" : fmt::format(" -- stopped early: {}", s.stop_reason));
        }
        return *verdicts_;
    }

    void jump_to_violation(const std::string& choice) {
        const properties::Result& result = verdicts();
        std::vector<const checker::CheckResult<model::State, model::Action>*> violated;
        for (const auto& c : result.checks)
            if (c.trace) violated.push_back(&c);
        if (violated.empty()) {
            fmt::print(out_, "No property is violated in this configuration{}.\n",
                       result.stats.complete ? "" : " so far (the exploration stopped early)");
            return;
        }
        std::string pick = choice;
        if (pick.empty()) {
            fmt::print(out_, "Violated properties (shortest counterexample):\n");
            for (std::size_t i = 0; i < violated.size(); ++i)
                fmt::print(out_, "  {}. {} ({} step(s)): {}\n", i + 1, violated[i]->id, violated[i]->trace->actions.size(),
                           properties::find(violated[i]->id)->meaning);
            fmt::print(out_, "Pick one by number or id (empty to cancel).\n");
            std::string line;
            if (!read_line(kPickPrompt, line)) return;
            pick = trim(line);
            if (pick.empty()) {
                fmt::print(out_, "cancelled\n");
                return;
            }
        }
        const checker::CheckResult<model::State, model::Action>* chosen = nullptr;
        if (const auto n = parse_number(pick); n && *n >= 1 && *n <= static_cast<int>(violated.size()))
            chosen = violated[static_cast<std::size_t>(*n - 1)];
        for (const auto* c : violated)
            if (c->id == pick) chosen = c;
        if (!chosen) {
            fmt::print(out_, "no violated property '{}': pick 1..{} or one of the ids listed by v\n", pick, violated.size());
            return;
        }
        replay(*chosen);
    }

    // Rebuilds the path from the counterexample's first state, taking each action through the
    // model (so the path is one the user could have clicked), then shows the violating state.
    void replay(const checker::CheckResult<model::State, model::Action>& check) {
        const properties::Trace& trace = *check.trace;
        properties::Trace path;
        path.states.push_back(trace.states.front());
        for (const model::Action& action : trace.actions) {
            model::ActionList list;
            system_.enabled_actions(path.states.back(), list);
            bool found = false;
            for (const model::Action& a : list) found |= a == action;
            if (!found) {
                fmt::print(out_, "cannot replay {}: step {} is not enabled (the path is unchanged)\n", check.id,
                           path.actions.size() + 1);
                return;
            }
            path.actions.push_back(action);
            path.states.push_back(system_.apply(path.states.back(), action));
        }
        fmt::print(out_, "Replaying the shortest counterexample of {} from the set-up, {} step(s):\n", check.id,
                   path.actions.size());
        for (std::size_t i = 0; i < path.actions.size(); ++i)
            print_step(static_cast<int>(i) + 1, path.states[i], path.actions[i], path.states[i + 1]);
        path_ = std::move(path);
        const properties::Property* property = properties::find(check.id);
        fmt::print(out_, "{} is violated {}: {}\n", check.id,
                   property->kind == checker::PropertyKind::Invariant ? "in this state" : "when the run ends here",
                   property->meaning);
        fmt::print(out_, "(u walks back through the counterexample one step at a time)\n");
        show();
    }

    const ExploreRequest& request_;
    model::Config config_;
    model::System system_;
    std::string name_;
    std::istream& in_;
    std::ostream& out_;
    properties::Trace path_;
    std::optional<properties::Result> verdicts_;
};

}  // namespace

int run_explore(const ExploreRequest& request, std::istream& in, std::ostream& out, std::ostream& err) {
    model::Config config;
    try {
        config = request.config_path ? load_config(*request.config_path) : model::recommended_config();
    } catch (const std::runtime_error& e) {  // ConfigError: one line
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }
    Session session(request, config, request.config_path.value_or("(bundled default: the report's recommended set-up)"), in,
                    out);
    return session.run();
}

}  // namespace alertflow::cli
