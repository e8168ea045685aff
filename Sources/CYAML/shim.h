#ifndef CAPSTAN_CYAML_SHIM_H
#define CAPSTAN_CYAML_SHIM_H
#include <yaml.h>
#endif
