/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

/*
 * libprov is built with hidden visibility: only declarations marked PROV_API
 * form the installed ABI that the daemon, the tools and plugins link against.
 */
/**
 * PROV_API:
 *
 * Marks a declaration as part of libprov's installed ABI. libprov is built
 * with hidden visibility, so a function without it is not exported; outside
 * the library's own build it expands to nothing.
 *
 * Since: 0.1
 */
#if defined(PROV_COMPILATION) && defined(__GNUC__)
#define PROV_API __attribute__((visibility("default")))
#else
#define PROV_API
#endif
