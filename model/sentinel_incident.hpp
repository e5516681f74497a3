#pragma once
// Component 8: a Sentinel incident. It is New (open) when created, and is closed by an analyst, by
// the automation rule, or by a sync (XDR two-way sync, or the XDR connector creating it in the XDR
// incident's already-closed state). When XDR correlation replaces it, it is closed and tagged
// "Redirected" (B13). Who made it (incident creation rule, time-window rule, XDR connector) and
// which alerts it holds is data of the incident, kept beside this status.
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::sentinel_incident {

enum class Status : std::uint8_t { New, Closed, Redirected };

struct ClosedByAnalyst {};
struct ClosedByAutomation {};
struct ClosedBySync {};
struct RedirectedByCorrelation {};
using Events = std::tuple<ClosedByAnalyst, ClosedByAutomation, ClosedBySync, RedirectedByCorrelation>;
enum class Event : std::uint8_t { ClosedByAnalyst, ClosedByAutomation, ClosedBySync, RedirectedByCorrelation };

struct Machine_ : FrontBase<Machine_> {
    struct New : msm::front::state<> { static constexpr Status value = Status::New; };
    struct Closed : msm::front::state<> { static constexpr Status value = Status::Closed; };
    struct Redirected : msm::front::state<> { static constexpr Status value = Status::Redirected; };
    using initial_state = New;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start Event                    Next        Action Guard
        Row < New,  ClosedByAnalyst,         Closed,     none,  none >,
        Row < New,  ClosedByAutomation,      Closed,     none,  none >,
        Row < New,  ClosedBySync,            Closed,     none,  none >,
        Row < New,  RedirectedByCorrelation, Redirected, none,  none >
    > {};
    // clang-format on
};
using Machine = msm::back::state_machine<Machine_>;
using Table = TransitionTable<Status, Event, 3, std::tuple_size_v<Events>>;

Table make_table();

}  // namespace alertflow::model::sentinel_incident
