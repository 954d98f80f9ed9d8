/* placeholder */ typedef int xc_placeholder_cli_import;
