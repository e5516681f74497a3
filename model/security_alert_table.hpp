#pragma once
// Component 7: the SecurityAlert table in Sentinel's workspace. Rows are events: appended, never
// updated; the "current status" of an alert is its newest row. A row carries the alert id
// (SystemAlertId: the alert slot it belongs to), the status, which connector wrote it, the link
// that connector puts in it (B16), and whether its StartTime is right (B17).
#include <cstdint>
#include <string_view>
#include <tuple>

#include "model/mdc_alert.hpp"
#include "model/msm_front.hpp"

namespace alertflow::model::security_alert_table {

enum class Writer : std::uint8_t { SubscriptionConnector, TenantConnector };

// The link each connector writes into AlertLink (B16).
constexpr std::string_view link(Writer w) {
    return w == Writer::SubscriptionConnector ? "portal.azure.com" : "security.microsoft.com";
}

// One row, in four bits: status (2), writer (1), StartTime right (1).
struct SecurityAlertRow {
    mdc_alert::Status status = mdc_alert::Status::Active;
    Writer writer = Writer::SubscriptionConnector;
    bool start_time_ok = true;

    std::uint8_t pack() const {
        return static_cast<std::uint8_t>(static_cast<unsigned>(status) | static_cast<unsigned>(writer) << 2 |
                                         static_cast<unsigned>(start_time_ok) << 3);
    }
    static SecurityAlertRow unpack(std::uint8_t bits) {
        return {static_cast<mdc_alert::Status>(bits & 3u), static_cast<Writer>((bits >> 2) & 1u), ((bits >> 3) & 1u) != 0};
    }
};

// Per alert id: does the table hold any row of it yet.
enum class Presence : std::uint8_t { NoRows, HasRows };

struct RowAppended {};
using Events = std::tuple<RowAppended>;
enum class Event : std::uint8_t { RowAppended };

struct Machine_ : FrontBase<Machine_> {
    struct NoRows : msm::front::state<> { static constexpr Presence value = Presence::NoRows; };
    struct HasRows : msm::front::state<> { static constexpr Presence value = Presence::HasRows; };
    using initial_state = NoRows;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start    Event        Next     Action Guard
        Row < NoRows,  RowAppended, HasRows, none,  none >,
        Row < HasRows, RowAppended, HasRows, none,  none >
    > {};
    // clang-format on
};
using Machine = msm::back::state_machine<Machine_>;
using Table = TransitionTable<Presence, Event, 2, std::tuple_size_v<Events>>;

Table make_table();

}  // namespace alertflow::model::security_alert_table
