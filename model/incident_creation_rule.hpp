#pragma once
// Component 6: the Microsoft incident creation rule for the MDC product, one lane per alert id.
//
// It makes ONE incident (provider "Azure Sentinel") from the FIRST SecurityAlert row of an alert
// id, whatever status that row carries; later rows of the same id (updates, duplicates, the other
// connector's copy) make no new incident. The same machine stands for the custom time-window
// scheduled rule (rules.time_window), which groups by alert id too but sees only the rows whose
// StartTime falls inside `StartTime > ago(1h) and StartTime < now()` (B17).
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::incident_creation_rule {

enum class Lane : std::uint8_t { Waiting, IncidentMade };

struct MatchingRowSeen {};  // the rule's query returned a row of this alert id
using Events = std::tuple<MatchingRowSeen>;
enum class Event : std::uint8_t { MatchingRowSeen };

struct Machine_ : FrontBase<Machine_> {
    bool enabled = false;

    struct Waiting : msm::front::state<> { static constexpr Lane value = Lane::Waiting; };
    struct IncidentMade : msm::front::state<> { static constexpr Lane value = Lane::IncidentMade; };
    using initial_state = Waiting;

    using IsRuleEnabled = SwitchesOn<&Machine_::enabled>;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start    Event            Next          Action Guard
        Row < Waiting, MatchingRowSeen, IncidentMade, none,  IsRuleEnabled >
    > {};
    // clang-format on
};
using Machine = msm::back::state_machine<Machine_>;
using Table = TransitionTable<Lane, Event, 2, std::tuple_size_v<Events>>;

Table make_table(bool enabled);

}  // namespace alertflow::model::incident_creation_rule
