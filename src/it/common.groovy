// Helpers shared by the ITs' setup and verify scripts: evaluate(new File(itDirectory, 'common.groovy')).
// Returns a map of closures. ACIs are read with GNU tar (it detects the compression itself), so the checks do
// not depend on the code under test.
import dev.jetpack.engine.Jetpack
import dev.jetpack.engine.JetpackSettings
import dev.jetpack.engine.EngineLog
import dev.jetpack.engine.ProgressListener
import dev.jetpack.engine.base.HostRootfs
import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

def run = { List<String> command ->
    def process = command.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    process.waitForProcessOutput(out, err)
    assert process.exitValue() == 0 : "${command} failed: ${err}"
    out.toString()
}

// A busybox rootfs directory; `files` maps paths in the image to [content, mode] or content.
def busyboxRootfs = { File dir, Map files = [:] ->
    HostRootfs.busybox(dir.toPath())
    files.each { String path, def spec ->
        def file = new File(dir, path)
        file.parentFile.mkdirs()
        file.text = spec instanceof List ? spec[0] : spec
        if (spec instanceof List) {
            Files.setPosixFilePermissions(file.toPath(), PosixFilePermissions.fromString(spec[1]))
        }
    }
    dir
}

// A stand-in apt-get for images without a package manager: records its arguments, one call per line.
def fakeAptGet = '#!/bin/sh\nmkdir -p /var/log\necho "$*" >> /var/log/fake-apt-get.log\n'

// A base ACI made by the engine from a rootfs directory (the ITs' parents).
def makeAci = { File rootfs, String name, File out ->
    out.parentFile.mkdirs()
    def manifest = new File(out.parentFile, out.name + '.manifest.json')
    manifest.text = """{"acKind":"ImageManifest","acVersion":"0.8.11","name":"${name}",""" +
            '"labels":[{"name":"version","value":"1.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]}'
    def jetpack = new Jetpack(JetpackSettings.defaults(), EngineLog.SILENT, ProgressListener.NONE)
    jetpack.makeAci(rootfs.toPath(), manifest.toPath(), out.toPath(), Optional.empty()).id().value()
}

def manifestOf = { File aci -> new JsonSlurper().parseText(run(['tar', '-xOf', aci.path, 'manifest'])) }
def entriesOf = { File aci -> run(['tar', '-tf', aci.path]).readLines() }
def fileOf = { File aci, String path -> run(['tar', '-xOf', aci.path, 'rootfs/' + path]) }
def label = { def manifest, String name -> manifest.labels?.find { it.name == name }?.value }
def annotation = { def manifest, String name -> manifest.annotations?.find { it.name == name }?.value }
def magic = { File aci -> def b = new byte[6]; aci.withInputStream { it.read(b) }; b }
def compressionOf = { File aci ->
    def b = magic(aci)
    if ((b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) return 'gzip'
    if (b[0] == 'B' as char && b[1] == 'Z' as char && b[2] == 'h' as char) return 'bzip2'
    if ((b[0] & 0xff) == 0xfd && b[1] == '7' as char && b[2] == 'z' as char) return 'xz'
    return 'none'
}

[run: run, busyboxRootfs: busyboxRootfs, fakeAptGet: fakeAptGet, makeAci: makeAci, manifestOf: manifestOf,
 entriesOf: entriesOf, fileOf: fileOf, label: label, annotation: annotation, compressionOf: compressionOf]
