/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One version for the crash extension and the standalone program. */
#ifndef LEAKEXT_VERSION_H
#define LEAKEXT_VERSION_H

#define LEAKEXT_VERSION "0.3"

#endif
