#include "model/xdr_connector.hpp"

namespace alertflow::model::xdr_connector {

Table make_table(const Attributes& a) {
    return derive_table<Table, Machine, Events>([&](Machine& m) {
        m.enabled = a.enabled;
        m.incident_before_alert_fault = a.incident_before_alert_fault;
    });
}

}  // namespace alertflow::model::xdr_connector
