#include "registry.h"

#include <algorithm>
#include <cstring>

namespace bk {
namespace {

// Function-local statics: registrars run during static initialisation in an unspecified order across
// translation units, so the containers must be created on first use, not at namespace scope.
std::vector<VariantDef>& variants() {
    static std::vector<VariantDef> instance;
    return instance;
}

std::string& error_text() {
    static std::string instance;
    return instance;
}

bool comes_before(const VariantDef& left, const VariantDef& right) {
    if (left.info.device != right.info.device) {
        return left.info.device < right.info.device;
    }
    return std::strcmp(left.info.name, right.info.name) < 0;
}

}  // namespace

Registrar::Registrar(const VariantDef& def) {
    auto& list = variants();
    const bool duplicate = std::any_of(list.begin(), list.end(), [&](const VariantDef& existing) {
        return std::strcmp(existing.info.name, def.info.name) == 0;
    });
    if (duplicate) {
        // Keep the first definition; a constructor running before main must not throw.
        error_text() += std::string(error_text().empty() ? "" : "; ") + "variant name '" + def.info.name +
                        "' is registered twice (the second definition is ignored)";
        return;
    }
    list.insert(std::upper_bound(list.begin(), list.end(), def, comes_before), def);
}

const std::vector<VariantDef>& registered_variants() { return variants(); }

const std::string& registry_error() { return error_text(); }

const VariantDef* find_variant(const std::string& name) {
    for (const VariantDef& def : variants()) {
        if (name == def.info.name) {
            return &def;
        }
    }
    return nullptr;
}

}  // namespace bk
