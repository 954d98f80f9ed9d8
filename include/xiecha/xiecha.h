/*  xiecha.h - libxiecha, the shared core of the xiecha CLI, the xiechad
    daemon and any township system that links it.  Include this one file. */
#ifndef XIECHA_XIECHA_H
#define XIECHA_XIECHA_H

#include <xiecha/version.h>  /* XIECHA_VERSION, generated */

#include "error.h"
#include "bytes.h"
#include "date.h"
#include "zone.h"
#include "id.h"
#include "division.h"
#include "crypto.h"
#include "trust.h"
#include "strict.h"
#include "terminal.h"
#include "wire.h"
#include "endpoint.h"
#include "armor.h"
#include "request.h"
#include "client.h"
#include "report.h"

#endif
