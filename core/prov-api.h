/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

/*
 * libprov is built with hidden visibility: only declarations marked PROV_API
 * form the installed ABI that the daemon, the tools and plugins link against.
 */
#if defined(PROV_COMPILATION) && defined(__GNUC__)
#define PROV_API __attribute__((visibility("default")))
#else
#define PROV_API
#endif
