/* placeholder */ typedef int xc_placeholder_error;
