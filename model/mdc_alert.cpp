#include "model/mdc_alert.hpp"

namespace alertflow::model::mdc_alert {

Table make_table(const Attributes& attributes) {
    return derive_table<Table, Machine, Events>([&](Machine& m) { m.reopen_allowed = attributes.reopen_allowed; });
}

}  // namespace alertflow::model::mdc_alert
