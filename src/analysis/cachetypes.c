// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which struct a cache holds (cachetypes.h).  The table lists caches whose
 * name is not their struct's; a cache named like a struct needs no entry
 * (task_struct, mm_struct, vm_area_struct, dentry, pid, kmem_cache, ...).
 * An entry whose struct this kernel lacks, or whose struct is larger than
 * the cache's objects, gives no type rather than a wrong one.
 */
#include <string.h>

#include "analysis/cachetypes.h"

static const struct {
	const char *cache, *type;
} cache_types[] = {
	{ "skbuff_head_cache", "sk_buff" },
	{ "skbuff_fclone_cache", "sk_buff_fclones" },
	{ "filp", "file" },
	{ "inode_cache", "inode" },
	{ "sock_inode_cache", "socket_alloc" },
	{ "TCP", "tcp_sock" },
	{ "TCPv6", "tcp6_sock" },
	{ "UDP", "udp_sock" },
	{ "UDPv6", "udp6_sock" },
	{ "UNIX", "unix_sock" },
	{ "RAW", "raw_sock" },
	{ "request_sock_TCP", "tcp_request_sock" },
	{ "tw_sock_TCP", "tcp_timewait_sock" },
	{ "signal_cache", "signal_struct" },
	{ "sighand_cache", "sighand_struct" },
	{ "cred_jar", "cred" },
	{ "files_cache", "files_struct" },
	{ "fs_cache", "fs_struct" },
	{ "mnt_cache", "mount" },
	{ "uid_cache", "user_struct" },
	{ "key_jar", "key" },
	{ "kernfs_node_cache", "kernfs_node" },
	{ "proc_inode_cache", "proc_inode" },
	{ "shmem_inode_cache", "shmem_inode_info" },
	{ "ext4_inode_cache", "ext4_inode_info" },
	{ "bdev_cache", "bdev_inode" },
	{ "eventpoll_epi", "epitem" },
	{ "eventpoll_pwq", "eppoll_entry" },
	{ "file_lock_cache", "file_lock" },
	{ "blkdev_ioc", "io_context" },
	{ "net_namespace", "net" },
};

static const char *hinted_type(const struct lx_session *s, const char *cache)
{
	unsigned int i;

	for (i = 0; i < s->nhints && i < LX_TYPE_HINTS; i++)
		if (!strcmp(s->hints[i].cache, cache))
			return s->hints[i].type;
	return NULL;
}

static const char *table_type(const char *cache)
{
	size_t i;

	for (i = 0; i < sizeof(cache_types) / sizeof(cache_types[0]); i++)
		if (!strcmp(cache_types[i].cache, cache))
			return cache_types[i].type;
	return NULL;
}

bool lx_cache_type(struct lx_session *s, const struct lx_cache *c, char *type,
		   size_t len)
{
	const char *name = hinted_type(s, c->name);
	long size;

	if (len)
		type[0] = '\0';
	if (!name)
		name = table_type(c->name);
	if (!name)
		name = c->name;
	if (!len || strnlen(c->name, sizeof(c->name)) == sizeof(c->name) ||
	    !lx_is_identifier(name) || strlen(name) >= len)
		return false;
	size = lx_type_size(s->t, name);
	if (size <= 0 || (uint64_t)size > c->object_size)
		return false;
	memcpy(type, name, strlen(name) + 1);
	return true;
}

const char *lx_heap_cache_type(struct lx_session *s, const struct lx_heap *h,
			       const struct lx_heap_cache *hc)
{
	struct lx_heap_cache *mine;

	if (hc < h->caches || hc >= h->caches + h->ncaches)
		return "";
	mine = &h->caches[hc - h->caches];
	if (!mine->type_known)
		lx_cache_type(s, &mine->cache, mine->type, sizeof(mine->type));
	mine->type_known = true;
	return mine->type;
}

bool lx_type_member(struct lx_session *s, const char *type, uint64_t offset,
		    char *out, size_t len)
{
	char path[LX_LABEL_MAX];

	if (!type[0] || !len)
		return false;
	if (!lx_member_at(s->t, type, offset, path, sizeof(path)))
		return false;
	path[sizeof(path) - 1] = '\0';
	lx_sanitize(path);
	return (size_t)snprintf(out, len, "%s.%s", type, path) < len;
}
