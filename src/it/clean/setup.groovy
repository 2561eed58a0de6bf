// What a previous build and its prepare steps would have left behind.
def make = { String path -> def f = new File(basedir, path); f.parentFile.mkdirs(); f.text = path; f }
make('rootfs.tar.gz')
make('cache/deep/file')
make('out/a.tmp')
make('out/b.tmp')
make('out/keep.txt')
make('target/jetpack/build/manifest.json')
make('target/clean-1.0.aci')
make('target/clean-1.0.aci.id')
return true
