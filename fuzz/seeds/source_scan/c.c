#define XEN_FOO 1
struct blkif {
};
static int
xen_blkif_get(void)
{
	return read("feature-persistent");
}
/* comment */
