/*
 * validate_c99.c — compiles include/bert_kernels_validate.h as strict C99 (-Wall -Wextra -Wpedantic -Werror), the
 * oldest dialect an out-of-tree library may include it from; api.cpp compiles it as C++17 and the examples as C11.
 */
#include "bert_kernels_validate.h"

/* Uses the validator once, so its functions are compiled, not just parsed. */
int32_t bk_validate_c99_check(const bk_variant_info* info, const bk_params* params, char* message, size_t size);

int32_t bk_validate_c99_check(const bk_variant_info* info, const bk_params* params, char* message, size_t size)
{
    return bk_validate_run(info, params, (uint64_t)bk_tensor_bytes(&params->dims, BK_T_OUTPUT, params->dtype), message,
                           size);
}
