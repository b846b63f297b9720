//! The words that are never taken as distinctive names: C keywords and the
//! kernel's most common helpers, types, annotations and error codes. Both
//! lists are sorted (byte order) so that lookups can binary-search them; a
//! test checks it.

/// C keywords and compiler extensions: never a function name or a distinctive name.
#[rustfmt::skip]
pub(super) const KEYWORDS: &[&str] = &[
    "NULL", "_Bool", "_Static_assert", "__asm__", "__attribute__", "__builtin_expect",
    "__extension__", "__inline", "__inline__", "__typeof__", "__volatile__", "asm", "auto", "bool",
    "break", "case", "char", "const", "continue", "default", "defined", "do", "double", "else",
    "enum", "extern", "false", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "true",
    "typedef", "typeof", "union", "unsigned", "void", "volatile", "while",
];

/// Common kernel words: too frequent to say anything about a patch.
#[rustfmt::skip]
pub(super) const STOPLIST: &[&str] = &[
    "ACCESS_ONCE", "ALIGN", "ARRAY_SIZE", "BIT", "BITS_PER_LONG", "BITS_TO_LONGS", "BUG", "BUG_ON",
    "BUILD_BUG_ON", "DECLARE_BITMAP", "DECLARE_PER_CPU", "DEFINE_MUTEX", "DEFINE_PER_CPU",
    "DEFINE_SPINLOCK", "DIV_ROUND_UP", "E2BIG", "EACCES", "EAGAIN", "EALREADY", "EBADF", "EBUSY",
    "ECONNRESET", "EDEADLK", "EEXIST", "EFAULT", "EFBIG", "EILSEQ", "EINPROGRESS", "EINTR",
    "EINVAL", "EIO", "EISDIR", "EMSGSIZE", "ENAMETOOLONG", "ENOBUFS", "ENODATA", "ENODEV",
    "ENOENT", "ENOEXEC", "ENOMEM", "ENOSPC", "ENOSYS", "ENOTCONN", "ENOTDIR", "ENOTSUPP", "ENOTTY",
    "ENXIO", "EOPNOTSUPP", "EOVERFLOW", "EPERM", "EPIPE", "EPROTO", "ERANGE", "ERESTARTSYS",
    "EROFS", "ERR_CAST", "ERR_PTR", "ESHUTDOWN", "ESRCH", "ETIMEDOUT", "EXPORT_PER_CPU_SYMBOL",
    "EXPORT_SYMBOL", "EXPORT_SYMBOL_GPL", "GFP_ATOMIC", "GFP_HIGHUSER", "GFP_KERNEL", "GFP_NOFS",
    "GFP_NOIO", "GFP_USER", "HZ", "INIT_LIST_HEAD", "INIT_WORK", "INT_MAX", "IS_BUILTIN",
    "IS_ENABLED", "IS_ERR", "IS_ERR_OR_NULL", "IS_MODULE", "KBUILD_MODNAME", "KERNEL_VERSION",
    "KERN_ALERT", "KERN_CONT", "KERN_CRIT", "KERN_DEBUG", "KERN_EMERG", "KERN_ERR", "KERN_INFO",
    "KERN_NOTICE", "KERN_WARNING", "LINUX_VERSION_CODE", "LIST_HEAD", "LONG_MAX", "MODULE_ALIAS",
    "MODULE_AUTHOR", "MODULE_DESCRIPTION", "MODULE_DEVICE_TABLE", "MODULE_LICENSE",
    "MODULE_PARM_DESC", "MODULE_VERSION", "MSEC_PER_SEC", "NR_CPUS", "NSEC_PER_SEC", "NULL",
    "PAGE_ALIGN", "PAGE_KERNEL", "PAGE_MASK", "PAGE_SHIFT", "PAGE_SIZE", "PTR_ERR",
    "PTR_ERR_OR_ZERO", "READ_ONCE", "S_IRUGO", "S_IRUSR", "S_IRWXU", "S_IWUGO", "S_IWUSR",
    "S_IXUGO", "THIS_MODULE", "U32_MAX", "U64_MAX", "UINT_MAX", "ULONG_MAX", "USEC_PER_SEC",
    "WARN", "WARN_ON", "WARN_ONCE", "WARN_ON_ONCE", "WRITE_ONCE", "__ASSEMBLY__", "__FILE__",
    "__FUNCTION__", "__GFP_HIGHMEM", "__GFP_NOWARN", "__GFP_ZERO", "__KERNEL__", "__LINE__",
    "__acquires", "__aligned", "__always_inline", "__be16", "__be32", "__be64", "__bitwise",
    "__clear_bit", "__cold", "__copy_from_user", "__copy_to_user", "__cpuinit", "__cpuinitdata",
    "__deprecated", "__devexit", "__devexit_p", "__devinit", "__devinitdata", "__exit",
    "__exitdata", "__force", "__free_page", "__free_pages", "__func__", "__get_free_page",
    "__get_free_pages", "__init", "__init_or_module", "__initconst", "__initdata", "__iomem",
    "__kernel", "__le16", "__le32", "__le64", "__maybe_unused", "__meminit", "__must_check",
    "__must_hold", "__noreturn", "__packed", "__percpu", "__printf", "__pure", "__rcu",
    "__read_mostly", "__ref", "__refdata", "__releases", "__s16", "__s32", "__s64", "__s8",
    "__section", "__set_bit", "__setup", "__stringify", "__u16", "__u32", "__u64", "__u8",
    "__used", "__user", "__visible", "__weak", "access_ok", "add_timer", "alloc_page",
    "alloc_pages", "arch_initcall", "asmlinkage", "atomic64_t", "atomic_add", "atomic_dec",
    "atomic_dec_and_test", "atomic_dec_return", "atomic_inc", "atomic_inc_return", "atomic_read",
    "atomic_set", "atomic_sub", "atomic_t", "attribute", "barrier", "blkcnt_t", "clamp", "clamp_t",
    "clear_bit", "const", "container_of", "copy_from_user", "copy_to_user", "core_initcall",
    "core_param", "cpu_online", "cpu_relax", "data", "del_timer", "del_timer_sync", "dev",
    "dev_crit", "dev_dbg", "dev_err", "dev_get_drvdata", "dev_info", "dev_notice",
    "dev_set_drvdata", "dev_t", "dev_warn", "device_attribute", "device_initcall", "dma_addr_t",
    "down_read", "down_write", "early_param", "enum", "err", "extern", "false", "fastcall",
    "file_operations", "flags", "for_each_cpu", "for_each_online_cpu", "for_each_possible_cpu",
    "for_each_present_cpu", "free_irq", "free_page", "free_pages", "fs_initcall", "get_cpu",
    "get_device", "get_user", "get_zeroed_page", "gfp_t", "gid_t", "hlist_head", "hlist_node",
    "in_interrupt", "init_timer", "init_waitqueue_head", "inline", "int16_t", "int32_t", "int64_t",
    "int8_t", "intptr_t", "irqreturn_t", "irqs_disabled", "jiffies", "kasprintf", "kcalloc",
    "kfree", "kmalloc", "kobj_attribute", "krealloc", "kstrdup", "kstrndup", "kstrtoint",
    "kstrtouint", "kstrtoul", "kthread_run", "kthread_should_stop", "kthread_stop", "ktime_t",
    "kzalloc", "late_initcall", "len", "likely", "list_add", "list_add_tail", "list_del",
    "list_del_init", "list_empty", "list_entry", "list_first_entry", "list_for_each",
    "list_for_each_entry", "list_for_each_entry_safe", "list_for_each_safe", "list_head",
    "local_irq_disable", "local_irq_enable", "local_irq_restore", "local_irq_save", "loff_t",
    "max", "max_t", "mdelay", "memcmp", "memcpy", "memmove", "memset", "min", "min_t", "mm_struct",
    "mod_timer", "mode_t", "module_exit", "module_init", "module_param", "module_param_array",
    "module_param_cb", "module_param_named", "module_param_string", "module_put", "msleep",
    "mutex_init", "mutex_lock", "mutex_lock_interruptible", "mutex_unlock", "ndelay", "net_device",
    "noinline", "notifier_block", "notrace", "nr_cpu_ids", "num_online_cpus", "off_t", "offsetof",
    "page_address", "page_to_pfn", "pci_dev", "per_cpu", "pfn_to_page", "pgd_t", "pgprot_t",
    "phys_addr_t", "phys_to_virt", "pid_t", "platform_device", "platform_get_drvdata",
    "platform_set_drvdata", "pmd_t", "postcore_initcall", "pr_alert", "pr_cont", "pr_crit",
    "pr_debug", "pr_emerg", "pr_err", "pr_fmt", "pr_info", "pr_notice", "pr_warn", "pr_warning",
    "preempt_disable", "preempt_enable", "printf", "printk", "printk_ratelimit", "pte_t", "pud_t",
    "put_cpu", "put_device", "put_user", "rc", "rcu_read_lock", "rcu_read_unlock", "read_lock",
    "read_unlock", "register", "request_irq", "resource", "resource_size_t", "ret", "return",
    "round_down", "round_up", "roundup", "rwlock_t", "s16", "s32", "s64", "s8", "schedule",
    "schedule_timeout", "schedule_work", "scnprintf", "sector_t", "set_bit", "signed",
    "simple_strtol", "simple_strtoul", "size", "size_t", "sizeof", "sk_buff", "smp_mb",
    "smp_processor_id", "smp_rmb", "smp_wmb", "snprintf", "spin_lock", "spin_lock_bh",
    "spin_lock_init", "spin_lock_irq", "spin_lock_irqsave", "spin_unlock", "spin_unlock_bh",
    "spin_unlock_irq", "spin_unlock_irqrestore", "spinlock_t", "sprintf", "sscanf", "ssize_t",
    "static", "strcat", "strchr", "strcmp", "strcpy", "strlcpy", "strlen", "strncmp", "strncpy",
    "strnlen", "strrchr", "strscpy", "strstr", "struct", "subsys_initcall", "task_struct",
    "test_and_clear_bit", "test_and_set_bit", "test_bit", "this_cpu_read", "this_cpu_write",
    "time_t", "timer_list", "true", "try_module_get", "typedef", "u16", "u32", "u64", "u8",
    "udelay", "uid_t", "uint", "uint16_t", "uint32", "uint32_t", "uint64", "uint64_t", "uint8_t",
    "uintptr_t", "ulong", "umode_t", "union", "unlikely", "unsigned", "up_read", "up_write",
    "ushort", "vfree", "virt_to_page", "virt_to_phys", "vm_area_struct", "vmalloc", "volatile",
    "vsnprintf", "vzalloc", "wait_event", "wait_event_interruptible", "wait_event_timeout",
    "wait_queue_head_t", "wake_up", "wake_up_interruptible", "wake_up_process", "work_struct",
    "write_lock", "write_unlock",
];

/// Whether `word` is a C keyword or compiler extension.
pub(super) fn is_keyword(word: &[u8]) -> bool {
    contains(KEYWORDS, word)
}

/// Whether `word` is a keyword or a common kernel word.
pub(super) fn is_stopword(word: &[u8]) -> bool {
    contains(KEYWORDS, word) || contains(STOPLIST, word)
}

fn contains(list: &[&str], word: &[u8]) -> bool {
    list.binary_search_by(|w| w.as_bytes().cmp(word)).is_ok()
}
