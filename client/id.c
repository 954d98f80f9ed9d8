/* placeholder */ typedef int xc_placeholder_id;
