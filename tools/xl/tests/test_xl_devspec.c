/* SPDX-License-Identifier: GPL-2.0 */
/* xl's disk and vif specifications: syntax, vdev numbers, refusals. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <tonnerre/xldev.h>

static void disk_ok(const char *spec, struct xl_disk_spec *d)
{
    char err[160] = "";

    if ( xl_disk_parse(spec, d, err, sizeof(err)) )
        fail_msg("'%s' refused: %s", spec, err);
}

static void disk_refused(const char *spec, const char *msg)
{
    struct xl_disk_spec d;
    char err[160] = "";

    assert_int_equal(xl_disk_parse(spec, &d, err, sizeof(err)), -EINVAL);
    if ( !strstr(err, msg) )
        fail_msg("'%s': expected '%s' in '%s'", spec, msg, err);
    assert_null(d.vdev);
    assert_null(d.target);
}

static void test_reference_spec(void **state)
{
    struct xl_disk_spec d;

    disk_ok("file:/var/lib/images/disk.img,xvda,w", &d);
    assert_string_equal(d.target, "/var/lib/images/disk.img");
    assert_string_equal(d.vdev, "xvda");
    assert_int_equal(d.devid, 51712);
    assert_false(d.readonly);
    assert_int_equal(d.prefix, XL_DISK_PREFIX_FILE);
    assert_int_equal(d.format, XL_DISK_FORMAT_RAW);
    xl_disk_spec_free(&d);
}

static void test_positional_forms(void **state)
{
    struct xl_disk_spec d;

    disk_ok("phy:/dev/sdb,xvdb,r", &d);
    assert_string_equal(d.target, "/dev/sdb");
    assert_int_equal(d.prefix, XL_DISK_PREFIX_PHY);
    assert_int_equal(d.devid, 51728);
    assert_true(d.readonly);
    xl_disk_spec_free(&d);
    disk_ok(" /img/a.iso , hdc , ro , cdrom ", &d);
    assert_string_equal(d.target, "/img/a.iso");
    assert_true(d.cdrom);
    assert_int_equal(d.devid, 5632);
    xl_disk_spec_free(&d);
    disk_ok("tap:qcow2:/img/q.qcow2,xvdc,w", &d);
    assert_int_equal(d.prefix, XL_DISK_PREFIX_TAP);
    assert_int_equal(d.format, XL_DISK_FORMAT_QCOW2);
    xl_disk_spec_free(&d);
    disk_ok("hdc,cdrom", &d);            /* a cdrom drive with no medium */
    assert_null(d.target);
    assert_int_equal(d.format, XL_DISK_FORMAT_EMPTY);
    xl_disk_spec_free(&d);
}

static void test_key_value_forms(void **state)
{
    struct xl_disk_spec d;

    disk_ok("format=raw, vdev=xvdc, access=rw, target=/img/a,b.img", &d);
    assert_string_equal(d.target, "/img/a,b.img");   /* target= takes the rest */
    assert_int_equal(d.devid, 51744);
    assert_false(d.readonly);
    xl_disk_spec_free(&d);
    disk_ok("vdev=xvdd,access=ro,no-discard,untrusted,backendtype=phy,"
            "script=block,target=/img/b.img", &d);
    assert_true(d.readonly);
    assert_int_equal(d.discard, 0);
    assert_int_equal(d.trusted, 0);
    assert_int_equal(d.backendtype, XL_DISK_BACKEND_PHY);
    assert_string_equal(d.script, "block");
    xl_disk_spec_free(&d);
}

static void test_vdev_numbers(void **state)
{
    static const struct { const char *vdev; uint32_t devid; } ok[] = {
        { "xvda", 51712 }, { "xvdb", 51728 }, { "xvda1", 51713 }, { "xvdp15", 51967 },
        { "xvdq", (1u << 28) | (16u << 8) }, { "xvdaa", (1u << 28) | (26u << 8) },
        { "xvda16", (1u << 28) | 16u }, { "hda", 768 }, { "hdb", 832 }, { "hdc", 5632 },
        { "sda", 2048 }, { "sdb3", 2067 }, { "d0p0", 1u << 28 }, { "d2p1", (1u << 28) | 513u },
        { "51712", 51712 },
    };
    static const char *const bad[] = { "", "xvd", "xvd1", "xvdA", "xvda0", "hde", "sdq",
                                       "xyz", "d", "dx", "xvda256", "99999999999" };
    uint32_t id;
    size_t i;

    for ( i = 0; i < sizeof(ok) / sizeof(ok[0]); i++ )
    {
        if ( xl_vdev_to_devid(ok[i].vdev, &id) )
            fail_msg("%s refused", ok[i].vdev);
        if ( id != ok[i].devid )
            fail_msg("%s: %u, expected %u", ok[i].vdev, id, ok[i].devid);
    }
    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
        if ( xl_vdev_to_devid(bad[i], &id) == 0 )
            fail_msg("'%s' accepted as %u", bad[i], id);
}

static void test_disk_refusals(void **state)
{
    disk_refused("/img/a.img", "no vdev");
    disk_refused("/img/a.img,xvd1,w", "unknown vdev 'xvd1'");
    disk_refused("/img/a.img,xvda,rw,disk,extra", "too many positional");
    disk_refused("/img/a.img,xvda,rwx", "access 'rwx'");
    disk_refused("vdev=xvda,access=r,access=w,target=/a", "access given twice");
    disk_refused("vdev=xvda,acess=r,target=/a", "unknown disk key 'acess'");
    disk_refused("vdev=xvda,format=vmdk,target=/a", "unknown format 'vmdk'");
    disk_refused("xvda,w", "no target given for vdev xvda");
    disk_refused("vdev=xvda,vdev=xvdb,target=/a", "vdev given twice");
    disk_refused("/a,xvda,w,floppy", "devtype 'floppy'");
    disk_refused("vdev=xvda,discard,no-discard,target=/a", "no-discard");
}

static void vif_ok(const char *spec, struct xl_vif_spec *v)
{
    char err[160] = "";

    if ( xl_vif_parse(spec, v, err, sizeof(err)) )
        fail_msg("'%s' refused: %s", spec, err);
}

static void vif_refused(const char *spec, const char *msg)
{
    struct xl_vif_spec v;
    char err[160] = "";

    assert_int_equal(xl_vif_parse(spec, &v, err, sizeof(err)), -EINVAL);
    if ( !strstr(err, msg) )
        fail_msg("'%s': expected '%s' in '%s'", spec, msg, err);
    assert_null(v.bridge);
}

static void test_vifs(void **state)
{
    struct xl_vif_spec v;
    char mac[18];

    vif_ok("mac=00:16:3e:27:f1:b4,bridge=xenbr0", &v);
    assert_true(v.has_mac);
    xl_vif_mac_format(v.mac, mac);
    assert_string_equal(mac, "00:16:3e:27:f1:b4");
    assert_string_equal(v.bridge, "xenbr0");
    assert_int_equal(v.devid, -1);
    xl_vif_spec_free(&v);
    vif_ok("", &v);
    assert_false(v.has_mac);
    assert_null(v.bridge);
    xl_vif_spec_free(&v);
    vif_ok(" bridge = br1 , vifname=web0, ip=10.0.0.9, script=vif-bridge, mtu=9000, "
           "gatewaydev=eth0, devid=3, mac=00-16-3E-00-00-0A", &v);
    assert_string_equal(v.vifname, "web0");
    assert_string_equal(v.ip, "10.0.0.9");
    assert_int_equal(v.mtu, 9000);
    assert_int_equal(v.devid, 3);
    assert_int_equal(v.mac[5], 0x0a);
    xl_vif_spec_free(&v);
    vif_refused("mac=00:16:3e:zz:00:01", "not six hex bytes");
    vif_refused("mac=00:16:3e:00:00", "not six hex bytes");
    vif_refused("mac=01:00:5e:00:00:01", "multicast");
    vif_refused("bridge=a,bridge=b", "bridge given twice");
    vif_refused("brige=xenbr0", "unknown vif key 'brige'");
    vif_refused("xenbr0", "not key=value");
    vif_refused("mtu=big", "mtu 'big'");
}

static void test_mac_generate(void **state)
{
    uint8_t mac[6];
    uint32_t r[] = { 0, 0xffffffffu, 0x12345678u };
    size_t i;

    for ( i = 0; i < 3; i++ )
    {
        xl_vif_mac_generate(mac, r[i]);
        assert_int_equal(mac[0], 0x00);
        assert_int_equal(mac[1], 0x16);
        assert_int_equal(mac[2], 0x3e);
        assert_int_equal(mac[3] & 0x80, 0);
    }
    assert_int_equal(mac[4], 0x56);
    assert_int_equal(mac[5], 0x78);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_spec),
        cmocka_unit_test(test_positional_forms),
        cmocka_unit_test(test_key_value_forms),
        cmocka_unit_test(test_vdev_numbers),
        cmocka_unit_test(test_disk_refusals),
        cmocka_unit_test(test_vifs),
        cmocka_unit_test(test_mac_generate),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
