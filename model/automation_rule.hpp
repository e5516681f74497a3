#pragma once
// Component 9: the automation rule that promptly closes new incidents (the report uses one to
// show the sync, B8). It closes every open incident, of any provider, as its own later step: an
// incident it closes was still open, and still a duplicate, for a moment (DOMAIN decision 6).
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::automation_rule {

enum class Deployment : std::uint8_t { Off, On };

struct RulesSetUp {};        // the workspace's automation rules are deployed
struct NewIncidentSeen {};   // accepted only while deployed: the rule will close the incident
using Events = std::tuple<RulesSetUp, NewIncidentSeen>;
enum class Event : std::uint8_t { RulesSetUp, NewIncidentSeen };

struct Machine_ : FrontBase<Machine_> {
    bool close_new_incidents = false;  // rules.automation_close

    struct Off : msm::front::state<> { static constexpr Deployment value = Deployment::Off; };
    struct On : msm::front::state<> { static constexpr Deployment value = Deployment::On; };
    using initial_state = Off;

    using IsCloseRuleDeployed = SwitchesOn<&Machine_::close_new_incidents>;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start Event            Next Action Guard
        Row < Off,  RulesSetUp,      On,  none,  IsCloseRuleDeployed >,
        Row < On,   NewIncidentSeen, On,  none,  none                >
    > {};
    // clang-format on
};
using Machine = msm::back::state_machine<Machine_>;
using Table = TransitionTable<Deployment, Event, 2, std::tuple_size_v<Events>>;

Table make_table(bool close_new_incidents);

}  // namespace alertflow::model::automation_rule
