#pragma once
// What every component's Boost.MSM front-end shares: the functor front-end vocabulary and a
// no_transition that does nothing (MSM asserts by default; the explorer asks instead whether
// an event is accepted, and an event a state does not accept is simply not enabled).
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "model/msm_table.hpp"

namespace alertflow::model {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

template <class Derived>
struct FrontBase : msm::front::state_machine_def<Derived> {
    template <class FSM, class Event>
    void no_transition(const Event&, FSM&, int) {}
};

// A guard that holds when every one of the named configuration switches of the machine is on:
// `using IsSyncEnabled = SwitchesOn<&Machine_::bidirectional_sync>;`
template <auto... Switches>
struct SwitchesOn {
    template <class E, class F, class S, class T>
    bool operator()(const E&, F& fsm, S&, T&) const { return ((fsm.*Switches) && ...); }
};

}  // namespace alertflow::model
