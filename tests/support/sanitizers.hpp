// Whether this build runs under AddressSanitizer (gcc defines
// __SANITIZE_ADDRESS__, clang answers __has_feature), for the tests whose
// budgets depend on it: ASan's frames are larger and its code slower.
#pragma once

namespace spe::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool address_sanitizer = true;
#else
inline constexpr bool address_sanitizer = false;
#endif
#else
inline constexpr bool address_sanitizer = false;
#endif

}  // namespace spe::testing
