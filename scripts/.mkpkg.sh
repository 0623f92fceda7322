mkpkg () 
{ 
    name=$1;
    desc=$2;
    refs=$3;
    dir=packages/$name;
    mkdir -p $dir/src $dir/test;
    cat > $dir/package.json <<EOF
{
  "name": "@strata/$name",
  "version": "0.1.0",
  "description": "$desc",
  "type": "module",
  "license": "MIT",
  "sideEffects": false,
  "exports": {
    ".": {
      "types": "./dist/index.d.ts",
      "import": "./dist/index.js"
    },
    "./package.json": "./package.json"
  },
  "files": ["dist", "README.md"],
  "scripts": {
    "build": "tsc -b",
    "typecheck": "tsc -p tsconfig.spec.json --noEmit"
  },
  "dependencies": {
    "@strata/core": "0.1.0"
  }
}
EOF

    refjson="";
    for r in $refs;
    do
        refjson="$refjson{ \"path\": \"../$r\" }, ";
    done;
    refjson="[${refjson%, }]";
    cat > $dir/tsconfig.json <<EOF
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "rootDir": "src",
    "outDir": "dist",
    "tsBuildInfoFile": "dist/.tsbuildinfo"
  },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts"],
  "references": $refjson
}
EOF

    cp packages/core/tsconfig.spec.json $dir/tsconfig.spec.json;
    cat > $dir/vitest.config.ts <<EOF
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '$name',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
EOF

    echo "export {};" > $dir/src/index.ts
}
