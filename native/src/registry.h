// registry.h — read access to the variants that registered themselves (see variant.h). Internal to the library.
#pragma once

#include "variant.h"

#include <string>
#include <vector>

namespace bk {

// Every registered variant, sorted by (device, name). Complete once static initialisation has finished.
const std::vector<VariantDef>& registered_variants();

// Empty, or the description of a registration mistake (a duplicate name): a programming error in the
// library that every bk_run then reports, so it cannot go unnoticed.
const std::string& registry_error();

// The variant called `name`, or null.
const VariantDef* find_variant(const std::string& name);

}  // namespace bk
