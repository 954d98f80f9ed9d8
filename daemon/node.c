/* placeholder */ typedef int xc_placeholder_node;
