#include "model/tenant_connector.hpp"

namespace alertflow::model::tenant_connector {

Table make_table(const Attributes& a) {
    return derive_table<Table, Machine, Events>([&](Machine& m) {
        m.enabled = a.enabled;
        m.any_order = a.any_order;
        m.duplicates_fault = a.duplicates_fault;
    });
}

}  // namespace alertflow::model::tenant_connector
