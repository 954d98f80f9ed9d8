/* placeholder */ typedef int xc_placeholder_armor;
