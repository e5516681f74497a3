#include "model/automation_rule.hpp"

namespace alertflow::model::automation_rule {

Table make_table(bool close_new_incidents) {
    return derive_table<Table, Machine, Events>([&](Machine& m) { m.close_new_incidents = close_new_incidents; });
}

}  // namespace alertflow::model::automation_rule
