#pragma once
// Reading a component's transitions off its Boost.MSM machine.
//
// Each component is written once, as a Boost.MSM machine (states, events, transition table,
// guards). The explorer must not pay for MSM on every step, so at start-up we run the machine
// itself over every (state, event) pair and keep the answers in a small table. MSM stays the
// single source of truth: the table is whatever MSM did, and tests/test_components.cpp replays
// every entry on a fresh machine to prove the two agree.
//
// Conventions a component follows:
//  - every MSM state struct has `static constexpr State value`, naming its enum value;
//  - `Events` is a std::tuple of the event types, in the order of the `Event` enum;
//  - the front-end overrides no_transition as a no-op (MSM asserts otherwise).
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <tuple>
#include <utility>

#include <boost/mpl/for_each.hpp>
#include <boost/msm/back/metafunctions.hpp>
#include <boost/msm/back/state_machine.hpp>

namespace alertflow::model {

template <class State, class Event, std::size_t StateCount, std::size_t EventCount>
class TransitionTable {
public:
    using StateType = State;
    using EventType = Event;
    static constexpr std::size_t kStates = StateCount;
    static constexpr std::size_t kEvents = EventCount;

    std::optional<State> next(State s, Event e) const {
        const auto t = next_[index(s)][index(e)];
        if (t == kNone) return std::nullopt;
        return static_cast<State>(t);
    }
    bool accepts(State s, Event e) const { return next(s, e).has_value(); }
    void set(State s, Event e, State t) { next_[index(s)][index(e)] = static_cast<std::uint8_t>(t); }
    bool reached(State s) const { return reached_[index(s)]; }
    void mark_reached(State s) { reached_[index(s)] = true; }

private:
    static constexpr std::uint8_t kNone = 0xff;
    template <class E> static std::size_t index(E e) { return static_cast<std::size_t>(e); }
    static constexpr auto none_row() { std::array<std::uint8_t, EventCount> r{}; r.fill(kNone); return r; }
    static constexpr auto none_table() {
        std::array<std::array<std::uint8_t, EventCount>, StateCount> t{};
        t.fill(none_row());
        return t;
    }
    std::array<std::array<std::uint8_t, EventCount>, StateCount> next_ = none_table();
    std::array<bool, StateCount> reached_{};
};

namespace detail {

template <class W> struct unwrap;
template <class T> struct unwrap<boost::msm::wrap<T>> { using type = T; };

// The enum value of the machine's current state (single region machines only).
template <class Machine, class State>
State current_state(const Machine& m) {
    using stt = typename Machine::stt;
    using states = typename boost::msm::back::generate_state_set<stt>::type;
    const int id = m.current_state()[0];
    State result{};
    boost::mpl::for_each<states, boost::msm::wrap<boost::mpl::placeholders::_1>>([&](auto w) {
        using S = typename unwrap<decltype(w)>::type;
        if (boost::msm::back::get_state_id<stt, S>::value == id) result = S::value;
    });
    return result;
}

// Process the event whose index in the Events tuple is `index`; returns MSM's HandledEnum.
template <class Machine, class Events, std::size_t... I>
int process_by_index(Machine& m, std::size_t index, std::index_sequence<I...>) {
    int handled = 0;
    ((I == index ? (handled = static_cast<int>(m.process_event(std::tuple_element_t<I, Events>{})), 0) : 0), ...);
    return handled;
}

}  // namespace detail

// Process event number `index` (of the component's Events tuple) on a running machine.
template <class Machine, class Events>
int process_event_by_index(Machine& m, std::size_t index) {
    return detail::process_by_index<Machine, Events>(m, index,
                                                     std::make_index_sequence<std::tuple_size_v<Events>>{});
}

template <class Machine, class State>
State current_state_of(const Machine& m) { return detail::current_state<Machine, State>(m); }

// Run the machine (configured by `configure` before start) over every reachable (state, event)
// pair and record where MSM goes. Copies are made from const references only: copying a
// non-const back-end silently resets it (STYLE.md, MSM fact 1), and a deque never moves them.
template <class Table, class Machine, class Events, class Configure>
Table derive_table(Configure configure) {
    Table table;
    Machine first;
    configure(first);
    first.start();
    std::deque<Machine> frontier;
    frontier.push_back(std::as_const(first));
    table.mark_reached(current_state_of<Machine, typename Table::StateType>(first));
    while (!frontier.empty()) {
        const Machine& from = frontier.front();
        const auto s = current_state_of<Machine, typename Table::StateType>(from);
        for (std::size_t e = 0; e < Table::kEvents; ++e) {
            Machine m(from);
            if (process_event_by_index<Machine, Events>(m, e) != boost::msm::back::HANDLED_TRUE) continue;
            const auto t = current_state_of<Machine, typename Table::StateType>(m);
            table.set(s, static_cast<typename Table::EventType>(e), t);
            if (!table.reached(t)) {
                table.mark_reached(t);
                frontier.push_back(std::as_const(m));
            }
        }
        frontier.pop_front();
    }
    return table;
}

}  // namespace alertflow::model
