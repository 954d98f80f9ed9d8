/* placeholder */ typedef int xc_placeholder_audit;
